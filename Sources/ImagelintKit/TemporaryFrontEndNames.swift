// Temporary until the front ends land (they provide these).
import DockerfileParser
import ManifestParser

extension DockerfileFrontEnd {
    public static func isDockerfileName(_ name: String) -> Bool {
        name == "Dockerfile" || name == "Containerfile" || name.hasSuffix(".Dockerfile") || name.hasSuffix(".dockerfile")
            || ((name.hasPrefix("Dockerfile.") || name.hasPrefix("Containerfile.")) && !name.hasSuffix(".dockerignore"))
    }
}

extension ManifestFrontEnd {
    public static func isYAMLName(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }
}
