import Foundation
import RegistryClient

/// An OCI image layout on disk that the tests write themselves: tiny images (an empty tar layer and a config
/// carrying a seed, so every image has its own digest), single-platform or a two-platform index.
final class OCILayout {
    let dir: String
    private var refs: [(tag: String, mediaType: String, digest: String, size: Int)] = []

    struct Image {
        /// The digest a tag resolves to: the index for a multi-platform image.
        var digest: String
        /// Each platform's manifest digest (for an index), in platform order.
        var platformDigests: [String]
    }

    init() throws {
        dir = try Temp.directory("oci")
        try FileManager.default.createDirectory(atPath: dir + "/blobs/sha256", withIntermediateDirectories: true)
        try #"{"imageLayoutVersion":"1.0.0"}"#.write(toFile: dir + "/oci-layout", atomically: true, encoding: .utf8)
    }

    /// Writes a blob; returns its digest and size.
    @discardableResult
    func blob(_ bytes: [UInt8]) throws -> (digest: String, size: Int) {
        let digest = RegistryClient.digest(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/blobs/sha256/" + digest.dropFirst(7)))
        return (digest, bytes.count)
    }

    func manifest(os: String, architecture: String, seed: String) throws -> (digest: String, size: Int) {
        let layer = [UInt8](repeating: 0, count: 1024)  // an empty tar archive
        let l = try blob(layer)
        let config = try blob(Array("""
            {"architecture":"\(architecture)","os":"\(os)","config":{"Labels":{"seed":"\(seed)"}},"rootfs":{"type":"layers","diff_ids":["\(l.digest)"]}}
            """.utf8))
        return try blob(Array("""
            {"schemaVersion":2,"mediaType":"\(MediaType.ociManifest)","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(config.digest)","size":\(config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(l.digest)","size":\(l.size)}]}
            """.utf8))
    }

    /// Adds an image under `tag`: one platform (linux/amd64), or an index of linux/amd64 and linux/arm64.
    @discardableResult
    func add(tag: String, multiPlatform: Bool, seed: String) throws -> Image {
        if !multiPlatform {
            let m = try manifest(os: "linux", architecture: "amd64", seed: seed)
            refs.append((tag, MediaType.ociManifest, m.digest, m.size))
            try save()
            return Image(digest: m.digest, platformDigests: [])
        }
        let amd = try manifest(os: "linux", architecture: "amd64", seed: seed + "-amd64")
        let arm = try manifest(os: "linux", architecture: "arm64", seed: seed + "-arm64")
        let index = try blob(Array("""
            {"schemaVersion":2,"mediaType":"\(MediaType.ociIndex)","manifests":[{"mediaType":"\(MediaType.ociManifest)","digest":"\(amd.digest)","size":\(amd.size),"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"\(MediaType.ociManifest)","digest":"\(arm.digest)","size":\(arm.size),"platform":{"architecture":"arm64","os":"linux"}}]}
            """.utf8))
        refs.append((tag, MediaType.ociIndex, index.digest, index.size))
        try save()
        return Image(digest: index.digest, platformDigests: [amd.digest, arm.digest])
    }

    private func save() throws {
        let entries = refs.map {
            #"{"mediaType":"\#($0.mediaType)","digest":"\#($0.digest)","size":\#($0.size),"annotations":{"org.opencontainers.image.ref.name":"\#($0.tag)"}}"#
        }
        try #"{"schemaVersion":2,"manifests":[\#(entries.joined(separator: ","))]}"#
            .write(toFile: dir + "/index.json", atomically: true, encoding: .utf8)
    }
}
