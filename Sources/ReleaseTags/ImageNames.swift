import ImageReference

extension ReleaseTags {
    /// Checks that `name` is an image repository name without tag or digest (`ghcr.io/acme/app`), as
    /// written; throws a message that says what is wrong.
    public static func validateImageName(_ name: String) throws(ImageNameError) {
        let reference: ImageReference
        do {
            reference = try ImageReference.parse(name)
        } catch {
            throw ImageNameError(name: name, message: "image `\(name)` is not a valid name: \(error)")
        }
        if let tag = reference.tag {
            throw ImageNameError(name: name, message: "image `\(name)` must not carry a tag (`:\(tag)`); the tags come from the version")
        }
        if reference.digest != nil {
            throw ImageNameError(name: name, message: "image `\(name)` must not carry a digest; give the repository name only")
        }
    }

    /// Full references `NAME:TAG`, all tags of the first image, then of the second, and so on. Names are
    /// used as written; validate them first with `validateImageName`.
    public static func references(images: [String], tags: [String]) -> [String] {
        images.flatMap { image in tags.map { image + ":" + $0 } }
    }
}

/// An image name that cannot take release tags.
public struct ImageNameError: Error, Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { message }
}
