import ImagelintCore
@testable import ManifestParser

/// The fields the tests read, whatever origin type the occurrence has (nil where it does not apply).
struct ContextView {
    var kind, apiVersion, name, namespace, container, containerList, imagePullPolicy, serviceAccountName: String?
    var imagePullSecrets: [String]?
    var ignoreAnnotation: String?
    var service, kustomizeName: String?
    /// The pod spec path, or the template/task/value path.
    var path: String?

    /// The annotations' values, comma-joined (nil when none).
    static func text(_ a: [IgnoreAnnotation]) -> String? { a.isEmpty ? nil : a.map(\.value).joined(separator: ",") }

    init(_ origin: Origin) {
        switch origin.value {
        case let p as PodContainerOrigin:
            (kind, apiVersion, name, namespace, container, containerList) =
                (p.kind, p.apiVersion, p.name, p.namespace, p.container, p.containerList)
            (imagePullPolicy, serviceAccountName, imagePullSecrets, ignoreAnnotation, path) =
                (p.imagePullPolicy, p.serviceAccountName, p.imagePullSecrets, Self.text(p.ignoreAnnotation), p.podSpec)
        case let a as ArgoTemplateOrigin:
            (kind, apiVersion, name, namespace, container, containerList) =
                (a.kind, a.apiVersion, a.name, a.namespace, a.container, a.field)
            (imagePullPolicy, serviceAccountName, imagePullSecrets, ignoreAnnotation, path) =
                (a.imagePullPolicy, a.serviceAccountName, a.imagePullSecrets, Self.text(a.ignoreAnnotation), a.path)
        case let t as TektonStepOrigin:
            (kind, apiVersion, name, namespace, container, containerList) =
                (t.kind, t.apiVersion, t.name, t.namespace, t.step, t.field)
            (imagePullPolicy, ignoreAnnotation, path) = (t.imagePullPolicy, Self.text(t.ignoreAnnotation), t.path)
        case let g as CustomResourceImageOrigin:
            (kind, apiVersion, name, namespace, ignoreAnnotation, path) =
                (g.kind, g.apiVersion, g.name, g.namespace, Self.text(g.ignoreAnnotation), g.path)
        case let c as ComposeServiceOrigin:
            service = c.service
        case let k as KustomizeImageOrigin:
            kustomizeName = k.name
        default:
            break
        }
    }
}

extension Occurrence {
    var context: ContextView { ContextView(origin) }
}
