import FastYAML
import ImageReference
import ImagelintCore

/// Reads a `kind: Secret` (v1) as kubelet reads an image pull secret: `type`, then the Docker config under
/// `.dockerconfigjson` (`kubernetes.io/dockerconfigjson`) or `.dockercfg` (`kubernetes.io/dockercfg`), from
/// `stringData` (plain text, which wins) or `data` (base64).
///
/// The value is decoded in memory and only its keys are kept: the `auths` hosts, the `credHelpers` hosts and
/// whether there is a `credsStore`. No credential (`auth`, `username`, `password`, `identitytoken`) leaves
/// this file, and no message quotes the value.
enum SecretReader {
    static func read(_ root: YAMLNode, path: String, locator: Locator) -> PullSecretInfo {
        let metadata = root["metadata"]
        let type = root.string("type")
        let line = locator.text.line(ofByte: root.startOffset)
        return PullSecretInfo(
            name: metadata?.string("name") ?? "", namespace: metadata?.string("namespace"), type: type, file: path,
            line: line, content: content(root, type: type))
    }

    static func content(_ root: YAMLNode, type: String?) -> PullSecretInfo.Content {
        let key: String
        switch type {
        case PullSecretInfo.dockerConfigJSONType?: key = ".dockerconfigjson"
        case PullSecretInfo.dockerCfgType?: key = ".dockercfg"
        default: return .notDockerConfig
        }
        let json: [UInt8]
        if let plain = root["stringData"]?[key], plain.isScalar {
            json = plain.withScalarBytes { Array($0) } ?? []
        } else if let encoded = root["data"]?[key], encoded.isScalar {
            if isTemplated(encoded) { return .templated }
            guard let decoded = encoded.withScalarBytes({ base64Decode($0) }) ?? nil else {
                return .undecodable("`data.\(key)` is not base64")
            }
            json = decoded
        } else {
            return .undecodable("a `\(type ?? "")` secret needs `data.\(key)` (base64) or `stringData.\(key)`")
        }
        if containsTemplate(json) { return .templated }
        // JSON is YAML (flow style): the YAML parser reads it without another parser on the lint path.
        let stream = YAMLStream.parse(json)
        guard stream.errors.isEmpty, let config = stream.documents.first?.root, config.isMapping else {
            return .undecodable("`\(key)` is not a JSON object")
        }
        if key == ".dockercfg" {
            // The legacy format: the top-level keys are the registries.
            return .dockerConfig(auths: keys(config), credHelpers: [], credsStore: false)
        }
        let auths = config["auths"].map(keys) ?? []
        let helpers = config["credHelpers"].map(keys) ?? []
        let store = config["credsStore"].map { $0.isScalar && !$0.isNull } ?? false
        if config["auths"] == nil && helpers.isEmpty && !store {
            return .undecodable("`\(key)` has no `auths` object")
        }
        return .dockerConfig(auths: auths, credHelpers: helpers, credsStore: store)
    }

    /// The keys of a mapping (empty for anything else).
    static func keys(_ node: YAMLNode) -> [String] {
        guard node.isMapping else { return [] }
        return node.entries.compactMap { $0.key.scalarText }
    }

    /// A Helm or other template where the value should be (`{{ template "imagePullSecret" . }}`).
    static func isTemplated(_ node: YAMLNode) -> Bool {
        node.withScalarBytes { containsTemplate($0) } ?? false
    }

    static func containsTemplate(_ bytes: some Collection<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for b in bytes {
            if previous == UInt8(ascii: "{") && b == UInt8(ascii: "{") { return true }
            if previous == UInt8(ascii: "$") && b == UInt8(ascii: "{") { return true }
            previous = b
        }
        return false
    }

    /// Standard base64 (RFC 4648 §4), blanks and line breaks ignored, padding optional; nil when not base64.
    static func base64Decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            default: return nil
            }
            if padding > 0 { return nil }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        if padding > 2 || bits >= 6 { return nil }
        return out
    }
}
