/// A `WWW-Authenticate` challenge: `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"`
/// or `Basic realm="Registry"`.
public struct AuthChallenge: Sendable, Hashable {
    public enum Scheme: Sendable, Hashable { case basic, bearer }
    public var scheme: Scheme
    public var parameters: [String: String]

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Parses one header value; nil for schemes other than Basic and Bearer.
    public static func parse(_ header: String) -> AuthChallenge? {
        var s = Substring(header).drop { $0 == " " }
        let schemeName = s.prefix { $0 != " " }
        s = s.dropFirst(schemeName.count)
        let scheme: Scheme
        switch schemeName.lowercased() {
        case "basic": scheme = .basic
        case "bearer": scheme = .bearer
        default: return nil
        }
        var parameters: [String: String] = [:]
        while true {
            s = s.drop { $0 == " " || $0 == "," }
            guard !s.isEmpty else { break }
            let key = s.prefix { $0 != "=" && $0 != "," && $0 != " " }
            s = s.dropFirst(key.count)
            guard s.first == "=" else { continue }
            s = s.dropFirst()
            var value = ""
            if s.first == "\"" {
                s = s.dropFirst()
                while let c = s.first, c != "\"" {
                    if c == "\\", s.count > 1 {
                        s = s.dropFirst()
                    }
                    value.append(s.first!)
                    s = s.dropFirst()
                }
                s = s.dropFirst()
            } else {
                let v = s.prefix { $0 != "," && $0 != " " }
                value = String(v)
                s = s.dropFirst(v.count)
            }
            parameters[key.lowercased()] = value
        }
        return AuthChallenge(scheme: scheme, parameters: parameters)
    }
}

/// Parses `Link: </v2/x/tags/list?n=100&last=b>; rel="next"`: the next page's path and query.
public func nextPage(_ header: String?) -> String? { nextLink(header) }

func nextLink(_ header: String?) -> String? {
    guard let header else { return nil }
    for part in header.split(separator: ",") {
        guard part.contains("rel=\"next\"") || part.contains("rel=next"),
            let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close
        else { continue }
        return String(part[part.index(after: open)..<close])
    }
    return nil
}
