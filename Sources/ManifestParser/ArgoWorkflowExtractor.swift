import FastYAML
import ImagelintCore

/// Argo Workflows (`Workflow`, `WorkflowTemplate`, `ClusterWorkflowTemplate`, `CronWorkflow` of
/// `argoproj.io`): each template's `container`, `script`, `containerSet.containers[]`, `initContainers[]`
/// and `sidecars[]`. They are Kubernetes containers: the pull policy, the workflow's `imagePullSecrets` and
/// its (or the template's) `serviceAccountName` apply as they do to a pod.
struct ArgoWorkflowExtractor: WorkloadExtractor {
    static let kinds: Set<String> = ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"]

    static func accepts(_ object: KubernetesObject) -> Bool {
        object.group == "argoproj.io" && kinds.contains(object.kind)
    }

    static func extract(_ object: inout KubernetesObject, into analysis: inout FileAnalysis) {
        var specPath = "spec"
        guard var spec = object.root["spec"], spec.isMapping else { return }
        if object.kind == "CronWorkflow" {
            guard let workflowSpec = spec["workflowSpec"], workflowSpec.isMapping else { return }
            spec = workflowSpec
            specPath = "spec.workflowSpec"
        }
        guard let templates = spec["templates"], templates.isSequence else { return }
        let secrets = KubernetesObject.secretNames(spec["imagePullSecrets"])
        let account = spec.string("serviceAccountName")
        let podIgnore = KubernetesObject.joined(
            object.ignoreAnnotation, KubernetesObject.ignoreAnnotation(spec["podMetadata"]))
        for (i, template) in templates.elements.enumerated() where template.isMapping {
            var step = ArgoTemplateOrigin(
                kind: object.kind, apiVersion: object.apiVersion, path: "\(specPath).templates[\(i)]")
            step.name = object.name
            step.namespace = object.namespace
            step.template = template.string("name")
            step.imagePullSecrets = secrets
            step.serviceAccountName = template.string("serviceAccountName") ?? account
            step.ignoreAnnotation = KubernetesObject.joined(
                podIgnore, KubernetesObject.ignoreAnnotation(template["metadata"]))
            for field in ["container", "script"] {
                guard let container = template[field], container.isMapping, let image = container["image"] else { continue }
                var s = step
                s.field = field
                s.container = container.string("name")
                s.imagePullPolicy = container.string("imagePullPolicy")
                object.add(image: image, source: .argoWorkflow, origin: s, into: &analysis)
            }
            let lists: [(String, YAMLNode?)] = [
                ("containerSet.containers", template["containerSet"]?["containers"]),
                ("initContainers", template["initContainers"]),
                ("sidecars", template["sidecars"]),
            ]
            for (field, list) in lists {
                guard let list, list.isSequence else { continue }
                for container in list.elements where container.isMapping {
                    guard let image = container["image"] else { continue }
                    var s = step
                    s.field = field
                    s.container = container.string("name")
                    s.imagePullPolicy = container.string("imagePullPolicy")
                    object.add(image: image, source: .argoWorkflow, origin: s, into: &analysis)
                }
            }
        }
    }
}

extension ImageSource {
    /// A container of an Argo Workflows template.
    public static let argoWorkflow = ImageSource("argo-workflow", fileKind: .kubernetes)
    /// A step, sidecar or step template of a Tekton task.
    public static let tekton = ImageSource("tekton", fileKind: .kubernetes)
    /// Any other `image` value of a custom resource.
    public static let customResource = ImageSource("custom-resource", fileKind: .kubernetes)
}

/// A container of an Argo Workflows template: a Kubernetes container in the pod Argo runs for the step.
public struct ArgoTemplateOrigin: OccurrenceOrigin, Hashable, KubernetesObjectOrigin, PullPolicyFact, PullSecretFacts, AnnotationSuppression {
    public var kind: String
    public var apiVersion: String
    public var name: String?
    public var namespace: String?
    /// The template's name.
    public var template: String?
    /// The field the container is in: `container`, `script`, `containerSet.containers`, `initContainers`,
    /// `sidecars`.
    public var field: String = ""
    /// The container's name, when it has one.
    public var container: String?
    public var imagePullPolicy: String?
    /// The workflow's `imagePullSecrets`.
    public var imagePullSecrets: [String] = []
    /// The template's or the workflow's `serviceAccountName`.
    public var serviceAccountName: String?
    /// Where the template is in the object: `spec.templates[2]`.
    public var path: String
    public var ignoreAnnotation: [IgnoreAnnotation] = []

    // Like every origin inside a Kubernetes object, this one declares its own members, in the order its JSON
    // context writes them; what they share (kind, apiVersion, name, namespace, the object's fingerprint)
    // comes from `KubernetesObjectOrigin`. The look-alike initializers and member lists are deliberate.
    public init(kind: String, apiVersion: String, path: String) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.path = path
    }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        forEachObjectMember(body)
        if let template { body("template", .string(template)) }
        if let container { body("container", .string(container)) }
        body("containerList", .string(field))
        body("imagePullPolicy", .optional(imagePullPolicy))
        body("imagePullSecrets", .strings(imagePullSecrets))
        if let serviceAccountName { body("serviceAccountName", .string(serviceAccountName)) }
        body("path", .string(path))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        objectFingerprint(containerList: field, container: container).forEach(body)
        body(template ?? "")
        body(path)
    }

    public var displayName: String {
        var s = objectDisplayName
        if let template { s += ", template `\(template)`" }
        if let container { s += ", container `\(container)`" }
        return s
    }
}
