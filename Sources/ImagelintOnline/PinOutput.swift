import ImagelintCore

extension PinPlan {
    /// Something to write (or, in a dry run, that would be written).
    public var hasChanges: Bool { !files.isEmpty }

    /// One line per change: `FILE:LINE:COL: pinned REF → REF@sha256:…`.
    public var changeLines: [String] {
        changes.map { c in "\(c.file):\(c.line):\(c.column): \(c.updated ? "updated" : "pinned") \(c.from) → \(c.to)" }
    }

    public var skippedLines: [String] {
        skipped.map { s in "\(s.file):\(s.line):\(s.column): skipped \(s.image): \(s.reason)" }
    }

    public var failureLines: [String] {
        failed.map { f in "\(f.file):\(f.line):\(f.column): cannot pin \(f.image): \(f.error)" }
    }

    /// `pinned 3 references in 2 files, 1 skipped, 0 failed, 4 already pinned`.
    public func summary(dryRun: Bool) -> String {
        let n = changes.count
        let refs = n == 1 ? "1 reference" : "\(n) references"
        let inFiles = files.count == 1 ? "1 file" : "\(files.count) files"
        var parts = [n == 0 ? "nothing to pin" : dryRun ? "\(refs) to pin in \(inFiles)" : "pinned \(refs) in \(inFiles)"]
        parts.append("\(alreadyPinned) already pinned")
        parts.append("\(skipped.count) skipped")
        parts.append("\(failed.count) failed")
        return parts.joined(separator: ", ")
    }

    /// The unified diff of every changed file (`--- a/PATH`, `+++ b/PATH`, 3 lines of context).
    public var diff: String {
        files.map { UnifiedDiff.make(path: $0.path, old: $0.old, new: $0.new) }.joined()
    }

    /// The `--format json` document.
    public func json(dryRun: Bool) -> JSONValue {
        .object([
            ("dryRun", .bool(dryRun)),
            (
                "changes",
                .array(
                    changes.map { c in
                        .object([
                            ("file", .string(c.file)), ("line", .int(c.line)), ("column", .int(c.column)),
                            ("from", .string(c.from)), ("to", .string(c.to)), ("updated", .bool(c.updated)),
                        ])
                    })
            ),
            (
                "skipped",
                .array(
                    skipped.map { s in
                        .object([
                            ("file", .string(s.file)), ("line", .int(s.line)), ("column", .int(s.column)),
                            ("image", .string(s.image)), ("reason", .string(s.reason)),
                        ])
                    })
            ),
            (
                "failed",
                .array(
                    failed.map { f in
                        .object([
                            ("file", .string(f.file)), ("line", .int(f.line)), ("column", .int(f.column)),
                            ("image", .string(f.image)), ("error", .string(f.error)),
                        ])
                    })
            ),
            ("files", .array(files.map { .string($0.path) })),
            (
                "summary",
                .object([
                    ("pinned", .int(changes.count)), ("files", .int(files.count)), ("alreadyPinned", .int(alreadyPinned)),
                    ("skipped", .int(skipped.count)), ("failed", .int(failed.count)),
                ])
            ),
        ])
    }
}

/// Unified diffs of files whose lines were changed in place or had lines added (what pinning does).
public enum UnifiedDiff {
    /// One step of the edit script, with the 0-based old and new line indices where it stands.
    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var old: Int
        var new: Int
    }

    static func lines(_ bytes: [UInt8]) -> (lines: [ArraySlice<UInt8>], finalNewline: Bool) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return (lines, bytes.last == 0x0A || bytes.isEmpty)
    }

    /// The shortest edit script from `a` to `b` (Myers' O((N+M)·D) algorithm; pinning changes few lines).
    static func script(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Op] {
        let n = a.count
        let m = b.count
        let offset = n + m + 1
        var v = [Int](repeating: 0, count: 2 * offset + 1)
        // trace[d]: the furthest x on each diagonal k in -d...d before step d (a copy of that slice of v).
        var trace: [[Int]] = []
        var found = false
        var steps = 0
        outer: for d in 0...(n + m) {
            trace.append(Array(v[(offset - d)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    found = true
                    steps = d
                    break outer
                }
            }
        }
        precondition(found)
        var ops: [Op] = []
        var x = n
        var y = m
        var d = steps
        while d > 0 {
            let row = trace[d]
            func at(_ k: Int) -> Int { row[k + d] }  // row covers k in -d...d
            let k = x - y
            let down = k == -d || (k != d && at(k - 1) < at(k + 1))
            let prevK = down ? k + 1 : k - 1
            let prevX = at(prevK)
            let prevY = prevX - prevK
            let startX = down ? prevX : prevX + 1
            while x > startX {
                ops.append(Op(kind: .same, old: x - 1, new: y - 1))
                x -= 1
                y -= 1
            }
            if down {
                ops.append(Op(kind: .insert, old: x, new: y - 1))
            } else {
                ops.append(Op(kind: .delete, old: x - 1, new: y))
            }
            x = prevX
            y = prevY
            d -= 1
        }
        while x > 0 {
            ops.append(Op(kind: .same, old: x - 1, new: y - 1))
            x -= 1
            y -= 1
        }
        return ops.reversed()
    }

    public static func make(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
        let (a, aEnd) = lines(old)
        let (b, bEnd) = lines(new)
        let ops = script(a, b)
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        func text(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
        var k = 0
        while let first = ops[k...].firstIndex(where: { $0.kind != .same }) {
            // The hunk runs to the last change followed by more than 2×context unchanged lines.
            var last = first
            var scan = first + 1
            while scan < ops.count {
                if ops[scan].kind != .same {
                    last = scan
                } else if scan - last > 2 * context {
                    break
                }
                scan += 1
            }
            let lo = max(k, first - context)
            let hi = min(ops.count, last + 1 + context)
            let hunk = ops[lo..<hi]
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            let oldStart = hunk.first!.old + (oldCount == 0 ? 0 : 1)
            let newStart = hunk.first!.new + (newCount == 0 ? 0 : 1)
            out += "@@ -\(oldStart)\(oldCount == 1 ? "" : ",\(oldCount)") +\(newStart)\(newCount == 1 ? "" : ",\(newCount)") @@\n"
            for op in hunk {
                switch op.kind {
                case .same:
                    out += " " + text(a[op.old]) + "\n"
                    if op.old == a.count - 1, !aEnd { out += "\\ No newline at end of file\n" }
                case .delete:
                    out += "-" + text(a[op.old]) + "\n"
                    if op.old == a.count - 1, !aEnd { out += "\\ No newline at end of file\n" }
                case .insert:
                    out += "+" + text(b[op.new]) + "\n"
                    if op.new == b.count - 1, !bEnd { out += "\\ No newline at end of file\n" }
                }
            }
            k = hi
        }
        return out
    }
}
