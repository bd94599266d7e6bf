import FastYAML
import ImagelintCore

/// Tekton (`tekton.dev`): every task spec in the object — a `Task`/`ClusterTask` spec, a `TaskRun`'s
/// `taskSpec`, a `Pipeline`'s or `PipelineRun`'s embedded `taskSpec`s — gives its `steps[].image`,
/// `sidecars[].image` and `stepTemplate.image`; a `StepAction` gives `spec.image`. A task spec is found as a
/// mapping with a `steps` sequence, wherever it is nested. Tekton substitutions (`$(params.x)`) leave a
/// reference unresolved, never invalid. Steps are Kubernetes containers (their `imagePullPolicy` applies);
/// pull secrets and service accounts belong to the run, so they are not checked on the task.
struct TektonExtractor: WorkloadExtractor {
    static func accepts(_ object: KubernetesObject) -> Bool { object.group == "tekton.dev" }

    static func extract(_ object: inout KubernetesObject, into analysis: inout FileAnalysis) {
        if object.kind == "StepAction", let spec = object.root["spec"], spec.isMapping, let image = spec["image"] {
            var origin = TektonStepOrigin(kind: object.kind, apiVersion: object.apiVersion, path: "spec")
            origin.name = object.name
            origin.namespace = object.namespace
            origin.field = "image"
            origin.imagePullPolicy = spec.string("imagePullPolicy")
            origin.ignoreAnnotation = object.ignoreAnnotation
            object.add(image: image, source: .tekton, origin: origin, into: &analysis)
            return
        }
        guard let spec = object.root["spec"] else { return }
        var path = ObjectPath()
        path.push(key: "spec")
        walk(spec, task: nil, path: &path, object: &object, analysis: &analysis, depth: 1)
    }

    static let maxDepth = 32

    private static func walk(
        _ node: YAMLNode, task: String?, path: inout ObjectPath, object: inout KubernetesObject,
        analysis: inout FileAnalysis, depth: Int
    ) {
        guard depth < maxDepth else { return }
        if node.isMapping {
            if let steps = node["steps"], steps.isSequence {
                extractTask(node, task: task, path: path.text, object: &object, analysis: &analysis)
                return
            }
            // A pipeline task's name names the embedded task spec below it.
            let name = node.string("name") ?? task
            for (k, value) in node.entries where !value.isScalar {
                guard let key = k.scalarText, !k.isMergeKey else { continue }
                path.push(key: key)
                walk(value, task: name, path: &path, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        } else if node.isSequence {
            for (i, element) in node.elements.enumerated() where element.isMapping {
                path.push(index: i)
                walk(element, task: task, path: &path, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        }
    }

    static func extractTask(
        _ spec: YAMLNode, task: String?, path: String, object: inout KubernetesObject, analysis: inout FileAnalysis
    ) {
        var base = TektonStepOrigin(kind: object.kind, apiVersion: object.apiVersion, path: path)
        base.name = object.name
        base.namespace = object.namespace
        base.task = task
        base.ignoreAnnotation = object.ignoreAnnotation
        if let template = spec["stepTemplate"], template.isMapping, let image = template["image"] {
            var s = base
            s.field = "stepTemplate"
            s.imagePullPolicy = template.string("imagePullPolicy")
            object.add(image: image, source: .tekton, origin: s, into: &analysis)
        }
        for field in ["steps", "sidecars"] {
            guard let list = spec[field], list.isSequence else { continue }
            for step in list.elements where step.isMapping {
                guard let image = step["image"] else { continue }
                var s = base
                s.field = field
                s.step = step.string("name")
                s.imagePullPolicy = step.string("imagePullPolicy") ?? spec["stepTemplate"]?.string("imagePullPolicy")
                object.add(image: image, source: .tekton, origin: s, into: &analysis)
            }
        }
    }
}

/// A step, sidecar, step template or StepAction of a Tekton task.
public struct TektonStepOrigin: OccurrenceOrigin, Hashable, KubernetesObjectOrigin, PullPolicyFact, AnnotationSuppression {
    public var kind: String
    public var apiVersion: String
    public var name: String?
    public var namespace: String?
    /// The pipeline task the spec is embedded in, when it is.
    public var task: String?
    /// `steps`, `sidecars`, `stepTemplate` or `image` (a StepAction).
    public var field: String = ""
    /// The step's (or sidecar's) name.
    public var step: String?
    public var imagePullPolicy: String?
    /// Where the task spec is in the object: `spec`, `spec.tasks[0].taskSpec`.
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
        if let task { body("task", .string(task)) }
        if let step { body("container", .string(step)) }
        body("containerList", .string(field))
        body("imagePullPolicy", .optional(imagePullPolicy))
        body("path", .string(path))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        objectFingerprint(containerList: field, container: step).forEach(body)
        body(task ?? "")
        body(path)
    }

    public var displayName: String {
        var s = objectDisplayName
        if let task { s += ", task `\(task)`" }
        if let step { s += ", step `\(step)`" }
        return s
    }
}
