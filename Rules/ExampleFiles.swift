/// Builders for the small manifests the rule examples use, so each example states only what matters.
enum ExampleFiles {
    static let digest = "sha256:2d4e459f4ecb5329407ae3e47cbc107a2fbace221354ca75960af4c047b3cb13"

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
