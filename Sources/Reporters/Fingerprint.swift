import ImagelintCore

/// Stable identities of findings for SARIF `partialFingerprints` and GitLab `fingerprint`.
///
/// A fingerprint is the SHA-256 (hex) of: a version tag, the rule id, the file path, the image as written,
/// where it came from (`ImageSource`), the identifying fields of its origin (for the first kinds: stage,
/// alias, instruction, kind, namespace, name, container list, container, service, kustomize name; see
/// `FingerprintFields`), the message for findings
/// without an image (such as `parse-error`), and an ordinal that tells apart findings whose other fields
/// are all equal (0 for the first in report order, 1 for the next…). Lines and columns are not part of it,
/// so a fingerprint survives edits that move the finding.
public enum Fingerprint {
    /// The version tag hashed in, and the SARIF `partialFingerprints` key.
    public static let sarifKey = "imagelint/v1"

    /// The fingerprints of `findings`, in the same order.
    public static func fingerprints(of findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        var out: [String] = []
        out.reserveCapacity(findings.count)
        for finding in findings {
            let identity = self.identity(of: finding)
            let ordinal = seen[identity, default: 0]
            seen[identity] = ordinal + 1
            out.append(SHA256.hex(identity + field(String(ordinal))))
        }
        return out
    }

    /// The identity text, each field length-prefixed so no two field lists give the same text.
    static func identity(of f: Finding) -> String {
        var s = field(sarifKey) + field(f.rule) + field(f.file) + field(f.image ?? "") + field(f.source?.rawValue ?? "")
        if let origin = f.origin {
            origin.value.forEachFingerprintField { s += field($0) }
        } else {
            FingerprintFields().forEach { s += field($0) }
        }
        s += field(f.image == nil ? f.message : "")
        return s
    }

    private static func field(_ value: String) -> String { String(value.utf8.count) + ":" + value }
}
