import Foundation

/// A pass-through HTTP proxy in front of the loopback registry that pages `tags/list` the way the
/// Distribution spec describes (`n`, `last`, `Link: <…>; rel="next"`).
///
/// Debian's docker-registry (Distribution 2.8) answers every tag in one page whatever `n` asks for (checked:
/// `GET /v2/r/app/tags/list?n=2` returns all five tags and no `Link`), while Distribution 3, GHCR, Harbor and
/// others page. So the tags come from the real registry, and only the slicing into pages is added here;
/// every other request, and the registry's own answers, pass through unchanged.
final class PagingProxy {
    let port: Int
    let child: Child
    let dir: String

    var host: String { "127.0.0.1:\(port)" }

    init(upstream: LocalRegistry) throws {
        port = freePort()
        dir = try Temp.directory("paging-proxy")
        try Self.script.write(toFile: dir + "/proxy.py", atomically: true, encoding: .utf8)
        child = try Child(Tools.python!, [dir + "/proxy.py", String(port), String(upstream.port)], log: dir + "/proxy.log")
        try LocalRegistry.waitForPort(port, what: "paging proxy", log: { self.child.output })
    }

    func stop() { child.stop() }

    /// The `tags/list` pages served so far (the proxy writes one line per page to its log).
    var pagesServed: Int { child.output.components(separatedBy: "\n").filter { $0.hasPrefix("PAGE ") }.count }

    static let script = #"""
        import http.client, json, sys, urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        port, upstream = int(sys.argv[1]), int(sys.argv[2])

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self, method, path, body=None):
                conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                conn.close()
                return r.status, r.getheaders(), data

            def reply(self, status, headers, data):
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def handle_any(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                url = urllib.parse.urlparse(self.path)
                if method == "GET" and url.path.endswith("/tags/list"):
                    query = urllib.parse.parse_qs(url.query)
                    status, headers, data = self.forward("GET", url.path)
                    if status == 200 and "n" in query:
                        answer = json.loads(data)
                        tags = sorted(answer.get("tags") or [])
                        last = query.get("last", [""])[0]
                        rest = [t for t in tags if t > last] if last else tags
                        n = int(query["n"][0])
                        page = rest[:n]
                        headers = [(k, v) for k, v in headers if k.lower() != "link"]
                        if len(rest) > n:
                            nxt = url.path + "?" + urllib.parse.urlencode({"n": n, "last": page[-1]})
                            headers.append(("Link", '<%s>; rel="next"' % nxt))
                        data = json.dumps({"name": answer.get("name"), "tags": page}).encode()
                        print("PAGE", last or "-", len(page), flush=True)
                    return self.reply(status, headers, data)
                status, headers, data = self.forward(method, self.path, body)
                self.reply(status, headers, data)

            def do_GET(self): self.handle_any("GET")
            def do_HEAD(self): self.handle_any("HEAD")
            def do_PUT(self): self.handle_any("PUT")
            def do_POST(self): self.handle_any("POST")
            def do_PATCH(self): self.handle_any("PATCH")
            def do_DELETE(self): self.handle_any("DELETE")

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
