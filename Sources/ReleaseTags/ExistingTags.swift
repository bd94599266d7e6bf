import Foundation

/// Reads a repository's current tags from the formats people have at hand, strictly: anything that is not
/// recognisably a tag list is an error, never "no tags". A registry error page read as "no tags" would
/// hand `latest` to a backport.
public enum ExistingTags {
    /// Reads `text` as one of:
    /// - `skopeo list-tags` output, `{"Repository": "…", "Tags": [...]}`;
    /// - the registry API's `{"name": "…", "tags": [...]}` (`"tags": null` is an empty repository);
    /// - a JSON array of strings (`["1.0.0", "latest"]`);
    /// - plain lines, each a valid tag (surrounding spaces trimmed, blank lines and `#` comments skipped).
    ///
    /// Every tag must satisfy the tag grammar. Only a truly empty input (zero bytes) is "no tags yet";
    /// whitespace alone is an error (a failed command's output redirected to the file looks like that).
    public static func parse(_ text: String) throws(ExistingTagsError) -> [String] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        if body.isEmpty { return [] }
        guard let first = body.first(where: { !isSpace($0) }) else {
            throw ExistingTagsError(
                line: 1,
                message: "only whitespace; an empty repository is an empty file (or `[]`), so this looks like the output "
                    + "of a command that failed")
        }
        if first == "[" || first == "{" {
            return try json(body)
        }
        return try lines(body)
    }

    /// The shapes a JSON tag list may take.
    private struct TagObject: Decodable {
        var repository: String?
        var upperTags: [String]??
        var name: String?
        var lowerTags: [String]??
        var errors: [RegistryErrorItem]?
        var keys: [String]

        struct RegistryErrorItem: Decodable {
            var code: String?
            var message: String?
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            keys = c.allKeys.map(\.stringValue).sorted()
            func tags(_ name: String) throws -> [String]?? {
                let key = Key(stringValue: name)
                guard c.contains(key) else { return nil }
                if try c.decodeNil(forKey: key) { return .some(nil) }
                return .some(try c.decode([String].self, forKey: key))
            }
            upperTags = try tags("Tags")
            lowerTags = try tags("tags")
            repository = try? c.decodeIfPresent(String.self, forKey: Key(stringValue: "Repository"))
            name = try? c.decodeIfPresent(String.self, forKey: Key(stringValue: "name"))
            errors = try? c.decodeIfPresent([RegistryErrorItem].self, forKey: Key(stringValue: "errors"))
        }
    }

    private static func json(_ body: Substring) throws(ExistingTagsError) -> [String] {
        let data = Data(body.utf8)
        let decoder = JSONDecoder()
        // Errors about the document as a whole name the line where it starts.
        let start = body.prefix { isSpace($0) }.reduce(1) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
        let tags: [String]
        if body.first(where: { !isSpace($0) }) == "[" {
            do {
                tags = try decoder.decode([String].self, from: data)
            } catch {
                throw ExistingTagsError(line: start, message: "not a JSON array of strings: \(describe(error))")
            }
        } else {
            let object: TagObject
            do {
                object = try decoder.decode(TagObject.self, from: data)
            } catch {
                throw ExistingTagsError(
                    line: start, message: "not a tag list (`Tags` or `tags` must be an array of strings): \(describe(error))")
            }
            if let errors = object.errors, let e = errors.first {
                throw ExistingTagsError(
                    line: start,
                    message: "a registry error, not a tag list: \([e.code, e.message].compactMap { $0 }.joined(separator: ": "))")
            }
            let skopeo = Set(["Repository", "Tags"]), registry = Set(["name", "tags"])
            let keys = Set(object.keys)
            if let found = object.upperTags, keys.isSubset(of: skopeo) {
                tags = found ?? []
            } else if let found = object.lowerTags, keys.isSubset(of: registry) {
                tags = found ?? []
            } else {
                throw ExistingTagsError(
                    line: start,
                    message: "a JSON object with the keys \(object.keys.map { "`\($0)`" }.joined(separator: ", ")), not "
                        + "skopeo's {\"Repository\": …, \"Tags\": [...]} or the registry's {\"name\": …, \"tags\": [...]}")
            }
        }
        for tag in tags {
            if let problem = ReleaseTags.tagProblem(tag) {
                throw ExistingTagsError(line: line(of: tag, in: body) ?? start, message: "`\(shown(tag))` is not a tag: it \(problem)")
            }
        }
        return tags
    }

    private static func lines(_ body: Substring) throws(ExistingTagsError) -> [String] {
        var tags: [String] = []
        var number = 0
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            let tag = line.drop { isSpace($0) }.reversed().drop { isSpace($0) }.reversed()
            if tag.isEmpty || tag.first == "#" { continue }
            let text = String(tag)
            if let problem = ReleaseTags.tagProblem(text) {
                throw ExistingTagsError(line: number, message: "`\(shown(text))` is not a tag: it \(problem)\(hint(text))")
            }
            tags.append(text)
        }
        if tags.isEmpty {
            throw ExistingTagsError(line: nil, message: "no tag, only blank lines and comments; an empty repository is an empty file")
        }
        return tags
    }

    /// What a line that is not a tag probably is.
    private static func hint(_ line: String) -> String {
        let lower = line.lowercased()
        if lower.hasPrefix("<") { return " (an HTML page: a registry or proxy error?)" }
        if lower.hasPrefix("fata") || lower.contains("level=fatal") || lower.hasPrefix("error") || lower.contains("unauthorized") {
            return " (an error message: did the command that listed the tags fail?)"
        }
        return ""
    }

    /// The 1-based line where `tag` is first written as a JSON string, if it can be found.
    private static func line(of tag: String, in body: Substring) -> Int? {
        guard let r = body.range(of: "\"" + tag + "\"") else { return nil }
        return body[..<r.lowerBound].reduce(1) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
    }

    private static func shown(_ s: String) -> String {
        s.count > 60 ? String(s.prefix(60)) + "…" : s
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c):
            return (c.underlyingError.map { "\($0)" } ?? c.debugDescription)
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "item \($0 + 1)" } ?? "`\($0.stringValue)`" }.joined(separator: " ")
            return (path.isEmpty ? "" : path + ": ") + c.debugDescription
        default:
            return "\(error)"
        }
    }

    static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" || c == "\u{FEFF}"
    }
}

/// Why a list of existing tags cannot be read; `line` is 1-based where the problem is on one line.
public struct ExistingTagsError: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: Int?
    public let message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}
