import ImagelintCore
/// Builders for the small manifests the rule examples use, so each example states only what matters.
enum ExampleFiles {
    static let digest = "sha256:2d4e459f4ecb5329407ae3e47cbc107a2fbace221354ca75960af4c047b3cb13"
    /// Another digest (a tag's current manifest, an index).
    static let otherDigest = "sha256:9b7f4a1e0c3d5f6a8b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a"
    /// A platform manifest's digest inside an index.
    static let armDigest = "sha256:1f3e5d7c9b1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5c7b9a1f3e"

    /// Registry answers for the online rules' examples: each `name:tag` resolves to `digest` (an index
    /// holding `platforms`), or is not found.
    static func registry(
        _ tags: [String: RegistryFacts.TagAnswer], digests: [String: Bool] = [:]
    ) -> RegistryFacts {
        RegistryFacts(tags: tags, digests: digests)
    }

    /// A Pod with one container.
    static func pod(_ image: String, policy: String? = nil, extraSpec: String = "", name: String = "web") -> String {
        var s = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
            spec:
            \(extraSpec)  containers:
                - name: app
                  image: \(image)

            """
        if let policy { s += "      imagePullPolicy: \(policy)\n" }
        return s
    }

    /// A Deployment with one container.
    static func deployment(_ image: String, policy: String? = nil, podSpecExtra: String = "") -> String {
        var s = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              replicas: 2
              template:
                spec:
            \(podSpecExtra)      containers:
                    - name: api
                      image: \(image)

            """
        if let policy { s += "          imagePullPolicy: \(policy)\n" }
        return s
    }

    /// A compose file with one service.
    static func compose(_ image: String) -> String {
        """
        services:
          web:
            image: \(image)
            ports:
              - "8080:80"

        """
    }
}
