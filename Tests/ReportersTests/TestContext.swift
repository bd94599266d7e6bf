import ImagelintCore

/// An origin for hand-built findings: the optional fields of every first-release kind, written to JSON and
/// fingerprints as the front ends' own origins write them, so the reporter tests need no front end.
struct TestContext: OccurrenceOrigin, Hashable {
    var stage: String?
    var stageIndex: Int?
    var alias: String?
    var instruction: String?
    var platform: String?
    var onbuild: Bool?
    var kind: String?
    var apiVersion: String?
    var name: String?
    var namespace: String?
    var container: String?
    var containerList: String?
    var imagePullPolicy: String?
    var imagePullSecrets: [String]?
    var serviceAccountName: String?
    var service: String?
    var kustomizeName: String?

    func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        func add(_ k: String, _ v: String?) { if let v { body(k, .string(v)) } }
        add("stage", stage)
        if let stageIndex { body("stageIndex", .int(stageIndex)) }
        add("alias", alias)
        add("instruction", instruction)
        add("platform", platform)
        if let onbuild { body("onbuild", .bool(onbuild)) }
        add("kind", kind)
        add("apiVersion", apiVersion)
        add("name", name)
        add("namespace", namespace)
        add("container", container)
        add("containerList", containerList)
        if kind != nil || containerList != nil { body("imagePullPolicy", .optional(imagePullPolicy)) }
        if let imagePullSecrets { body("imagePullSecrets", .strings(imagePullSecrets)) }
        add("serviceAccountName", serviceAccountName)
        add("service", service)
        add("kustomizeName", kustomizeName)
    }

    func forEachFingerprintField(_ body: (String) -> Void) {
        for value in [stage, alias, instruction, kind, namespace, name, containerList, container, service, kustomizeName] {
            body(value ?? "")
        }
    }

    var displayName: String { kind ?? instruction ?? "test" }
}

extension Finding {
    /// The test context of a hand-built finding.
    var context: TestContext? {
        get { origin?.value as? TestContext }
        set { origin = newValue.map { Origin($0) } }
    }
}
