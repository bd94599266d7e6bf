// One piece, though over 400 lines: the node handle and its two collection views read the same packed
// storage layout, and every lookup (keys, paths, scalars, tags, aliases) is written against that layout.

/// A node of a parsed document: a cheap handle (storage reference and index).
///
/// An alias node keeps its own marks (the position of `*name`) but answers every content question
/// (`kind`, `scalarText`, lookups…) for the node it refers to.
public struct YAMLNode: Sendable {
    let storage: YAMLStorage
    /// The node's own index (an alias's index for an alias).
    let index: Int32

    init(storage: YAMLStorage, index: Int32) {
        self.storage = storage
        self.index = index
    }

    @inline(__always) var own: NodeRecord { storage.nodes[Int(index)] }

    /// Index of the content node: the alias target for aliases, else the node itself.
    @inline(__always) var contentIndex: Int32 {
        let r = storage.nodes[Int(index)]
        return r.kind == NodeRecord.alias ? r.a : index
    }

    @inline(__always) var content: NodeRecord { storage.nodes[Int(contentIndex)] }

    // MARK: Identity and kind

    /// True when this node was written as an alias (`*name`).
    public var isAlias: Bool { own.kind == NodeRecord.alias }

    /// The anchored node an alias refers to; the node itself otherwise.
    public var resolved: YAMLNode { YAMLNode(storage: storage, index: contentIndex) }

    /// The kind of the node (of its target, for an alias).
    public var kind: YAMLNodeKind {
        switch content.kind {
        case NodeRecord.sequence: .sequence
        case NodeRecord.mapping: .mapping
        default: .scalar
        }
    }

    public var isScalar: Bool { content.kind == NodeRecord.scalar }
    public var isMapping: Bool { content.kind == NodeRecord.mapping }
    public var isSequence: Bool { content.kind == NodeRecord.sequence }

    /// The explicit tag as libyaml resolved it (`!!str` is `tag:yaml.org,2002:str`), or nil when untagged.
    public var tag: String? {
        let t = content.tag
        return t < 0 ? nil : storage.strings[Int(t)]
    }

    /// The anchor name: the node's own anchor, or for an alias the anchor it refers to.
    public var anchor: String? {
        let t = own.anchor
        return t < 0 ? nil : storage.strings[Int(t)]
    }

    /// The scalar style, or nil for collections.
    public var style: YAMLScalarStyle? {
        let r = content
        return r.kind == NodeRecord.scalar ? YAMLScalarStyle(rawValue: r.style) : nil
    }

    /// True for a collection written in flow style (`[a, b]`, `{a: b}`).
    public var isFlow: Bool { content.flags & NodeRecord.flagFlow != 0 }

    // MARK: Scalars

    /// The decoded text of a scalar (escapes processed, lines folded, as libyaml decoded it); nil for
    /// collections. Invalid UTF-8 cannot occur: libyaml rejects it.
    public var scalarText: String? {
        let r = content
        guard r.kind == NodeRecord.scalar else { return nil }
        return storage.values.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[Int(r.a)..<Int(r.a + r.b)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the decoded bytes of a scalar; nil for collections.
    public func withScalarBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        let r = content
        guard r.kind == NodeRecord.scalar else { return nil }
        return try storage.values.withUnsafeBufferPointer { buf in
            try body(UnsafeBufferPointer(rebasing: buf[Int(r.a)..<Int(r.a + r.b)]))
        }
    }

    /// Number of decoded bytes of a scalar (0 for collections).
    public var scalarByteCount: Int {
        let r = content
        return r.kind == NodeRecord.scalar ? Int(r.b) : 0
    }

    /// True when this is a scalar whose decoded text is exactly `text` (no allocation).
    public func scalarEquals(_ text: String) -> Bool {
        let r = content
        guard r.kind == NodeRecord.scalar else { return false }
        return storage.bytesEqual(start: Int(r.a), count: Int(r.b), text)
    }

    /// True for a null scalar: an untagged plain `~`, `null`, `Null`, `NULL` or empty scalar, or one
    /// tagged `!!null`.
    public var isNull: Bool {
        let r = content
        guard r.kind == NodeRecord.scalar else { return false }
        if r.tag >= 0 { return storage.strings[Int(r.tag)] == "tag:yaml.org,2002:null" }
        guard r.style == YAMLScalarStyle.plain.rawValue else { return false }
        switch r.b {
        case 0: return true
        case 1: return storage.values[Int(r.a)] == UInt8(ascii: "~")
        case 4:
            let s = Int(r.a)
            return storage.bytesEqual(start: s, count: 4, "null") || storage.bytesEqual(start: s, count: 4, "Null")
                || storage.bytesEqual(start: s, count: 4, "NULL")
        default: return false
        }
    }

    /// True for a merge key: an untagged plain `<<`, or a scalar tagged `!!merge`.
    public var isMergeKey: Bool { storage.isMergeKey(record: content) }

    // MARK: Positions (the node's own, the alias's for an alias)

    /// Where the node starts: the first character of a plain scalar, the opening quote of a quoted one,
    /// the `|`/`>` indicator of a block scalar, the `[`/`{` or first entry of a collection, the `*` of an
    /// alias. When an anchor or tag precedes the node, libyaml starts the node there.
    public var startMark: YAMLMark {
        let r = own
        return YAMLMark(offset: Int(r.startOffset), line: Int(r.startLine), column: Int(r.startColumn))
    }

    /// Just after the node's last character (after the closing quote of a quoted scalar).
    public var endMark: YAMLMark {
        let r = own
        return YAMLMark(offset: Int(r.endOffset), line: Int(r.endLine), column: Int(r.endColumn))
    }

    /// 0-based line of the start (as libyaml counts).
    public var startLine: Int { Int(own.startLine) }
    /// 0-based column of the start, in Unicode scalars.
    public var startColumn: Int { Int(own.startColumn) }
    public var endLine: Int { Int(own.endLine) }
    public var endColumn: Int { Int(own.endColumn) }
    /// Byte offset of the start in the input.
    public var startOffset: Int { Int(own.startOffset) }
    /// Byte offset just past the end in the input.
    public var endOffset: Int { Int(own.endOffset) }

    // MARK: Collections

    /// Number of elements of a sequence or entries of a mapping (merge keys count as entries); 0 for scalars.
    public var count: Int {
        let r = content
        switch r.kind {
        case NodeRecord.sequence: return Int(r.b)
        case NodeRecord.mapping: return Int(r.b) / 2
        default: return 0
        }
    }

    /// The elements of a sequence (empty for other kinds).
    public var elements: YAMLElements {
        let r = content
        guard r.kind == NodeRecord.sequence else { return YAMLElements(storage: storage, start: 0, count: 0) }
        return YAMLElements(storage: storage, start: Int(r.a), count: Int(r.b))
    }

    /// The element at `position` of a sequence, or nil.
    public subscript(position: Int) -> YAMLNode? {
        let r = content
        guard r.kind == NodeRecord.sequence, position >= 0, position < Int(r.b) else { return nil }
        return YAMLNode(storage: storage, index: storage.children[Int(r.a) + position])
    }

    /// The entries of a mapping as written, in order, including merge keys and repeated keys (empty
    /// for other kinds). See `mergedEntries` for the effective entries.
    public var entries: YAMLEntries {
        let r = content
        guard r.kind == NodeRecord.mapping else { return YAMLEntries(storage: storage, start: 0, count: 0) }
        return YAMLEntries(storage: storage, start: Int(r.a), count: Int(r.b) / 2)
    }

    /// The value for the scalar key `key` in a mapping: the last entry with that key wins; when the
    /// mapping has none, the merged mappings (`<<: *a` or `<<: [*a, *b]`, earlier ones first) are
    /// searched. Nil when absent or when this is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        var key = key
        return key.withUTF8 { k in storage.lookup(mapping: contentIndex, key: k, depth: 0) }
    }

    /// The effective entries of a mapping: its own entries (last repeated key wins, at the position of its
    /// first occurrence) followed by entries brought in by merge keys that no own key overrides. Merge
    /// keys themselves are left out. Non-scalar keys are kept as written.
    public var mergedEntries: [(key: YAMLNode, value: YAMLNode)] {
        var result: [(key: YAMLNode, value: YAMLNode)] = []
        var seen: [String: Int] = [:]
        storage.collectMerged(mapping: contentIndex, into: &result, seen: &seen, depth: 0)
        return result
    }

    /// Scalar keys that repeat an earlier key of this mapping, in order (merge keys are not counted).
    public var duplicateKeys: [YAMLNode] {
        var pairs: [(key: YAMLNode, previous: YAMLNode)] = []
        duplicateKeyPairs(into: &pairs)
        return pairs.map(\.key)
    }

    /// Appends each repeated scalar key with the earlier key it repeats.
    func duplicateKeyPairs(into result: inout [(key: YAMLNode, previous: YAMLNode)]) {
        let r = content
        guard r.kind == NodeRecord.mapping, r.b >= 4 else { return }
        let n = Int(r.b) / 2
        let base = Int(r.a)
        let nodes = storage.nodes
        let children = storage.children
        if n <= 16 {
            for i in 1..<n {
                let ki = children[base + 2 * i]
                let kr = nodes[Int(ki)].kind == NodeRecord.alias ? nodes[Int(nodes[Int(ki)].a)] : nodes[Int(ki)]
                guard kr.kind == NodeRecord.scalar else { continue }
                let keyNode = YAMLNode(storage: storage, index: ki)
                if keyNode.isMergeKey { continue }
                for j in 0..<i {
                    let kj = children[base + 2 * j]
                    let jr = nodes[Int(kj)].kind == NodeRecord.alias ? nodes[Int(nodes[Int(kj)].a)] : nodes[Int(kj)]
                    if jr.kind == NodeRecord.scalar, jr.b == kr.b, storage.valuesEqual(Int(jr.a), Int(kr.a), Int(kr.b)) {
                        result.append((keyNode, YAMLNode(storage: storage, index: kj)))
                        break
                    }
                }
            }
        } else {
            // Hash the decoded bytes (FNV-1a) instead of building Strings; confirm hits byte by byte.
            var firstSeen: [UInt64: Int32] = [:]
            firstSeen.reserveCapacity(n)
            for i in 0..<n {
                let ki = children[base + 2 * i]
                let kr = nodes[Int(storage.resolvedIndex(ki))]
                guard kr.kind == NodeRecord.scalar, !storage.isMergeKey(record: kr) else { continue }
                let hash = storage.values.withUnsafeBufferPointer { v in
                    var h: UInt64 = 0xcbf2_9ce4_8422_2325
                    for j in Int(kr.a)..<Int(kr.a + kr.b) { h = (h ^ UInt64(v[j])) &* 0x100_0000_01b3 }
                    return h
                }
                if let previous = firstSeen[hash] {
                    let pr = nodes[Int(storage.resolvedIndex(previous))]
                    if pr.b == kr.b && storage.valuesEqual(Int(pr.a), Int(kr.a), Int(kr.b)) {
                        result.append((YAMLNode(storage: storage, index: ki), YAMLNode(storage: storage, index: previous)))
                        continue
                    }
                    // A hash collision between different keys: compare with every earlier key.
                    for j in 0..<i {
                        let kj = children[base + 2 * j]
                        let jr = nodes[Int(storage.resolvedIndex(kj))]
                        if jr.kind == NodeRecord.scalar, jr.b == kr.b, storage.valuesEqual(Int(jr.a), Int(kr.a), Int(kr.b)) {
                            result.append((YAMLNode(storage: storage, index: ki), YAMLNode(storage: storage, index: kj)))
                            break
                        }
                    }
                } else {
                    firstSeen[hash] = ki
                }
            }
        }
    }
}

/// The elements of a sequence node.
public struct YAMLElements: RandomAccessCollection, Sendable {
    let storage: YAMLStorage
    let start: Int
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> YAMLNode {
        YAMLNode(storage: storage, index: storage.children[start + position])
    }
}

/// The entries of a mapping node, as written.
public struct YAMLEntries: RandomAccessCollection, Sendable {
    let storage: YAMLStorage
    let start: Int
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) {
        let i = start + 2 * position
        return (YAMLNode(storage: storage, index: storage.children[i]),
                YAMLNode(storage: storage, index: storage.children[i + 1]))
    }
}

extension YAMLStorage {
    /// Merge chains longer than this are not followed (they cannot loop, but could be long).
    static let maxMergeDepth = 64

    @inline(__always) func resolvedIndex(_ i: Int32) -> Int32 {
        let r = nodes[Int(i)]
        return r.kind == NodeRecord.alias ? r.a : i
    }

    func bytesEqual(start: Int, count: Int, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { t in
            guard t.count == count else { return false }
            return values.withUnsafeBufferPointer { v in
                for i in 0..<count where v[start + i] != t[i] { return false }
                return true
            }
        }
    }

    func valuesEqual(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        values.withUnsafeBufferPointer { v in
            for i in 0..<count where v[a + i] != v[b + i] { return false }
            return true
        }
    }

    func isMergeKey(_ index: Int32) -> Bool { isMergeKey(record: nodes[Int(resolvedIndex(index))]) }

    @inline(__always) func isMergeKey(record r: NodeRecord) -> Bool {
        guard r.kind == NodeRecord.scalar else { return false }
        if r.tag >= 0 { return strings[Int(r.tag)] == "tag:yaml.org,2002:merge" }
        return r.style == YAMLScalarStyle.plain.rawValue && r.b == 2 && values[Int(r.a)] == UInt8(ascii: "<")
            && values[Int(r.a) + 1] == UInt8(ascii: "<")
    }

    /// Looks `key` up in the mapping at `mapping` (a content index), then in its merge sources.
    func lookup(mapping: Int32, key: UnsafeBufferPointer<UInt8>, depth: Int) -> YAMLNode? {
        let r = nodes[Int(mapping)]
        guard r.kind == NodeRecord.mapping else { return nil }
        let base = Int(r.a)
        let n = Int(r.b) / 2
        var hasMerge = false
        var i = n - 1
        while i >= 0 {
            let k = resolvedIndex(children[base + 2 * i])
            let kr = nodes[Int(k)]
            i -= 1
            guard kr.kind == NodeRecord.scalar else { continue }
            if isMergeKey(record: kr) {
                hasMerge = true
                continue
            }
            guard Int(kr.b) == key.count else { continue }
            let equal = values.withUnsafeBufferPointer { v in
                var j = 0
                while j < key.count, v[Int(kr.a) + j] == key[j] { j += 1 }
                return j == key.count
            }
            if equal { return YAMLNode(storage: self, index: children[base + 2 * (i + 1) + 1]) }
        }
        guard hasMerge, depth < Self.maxMergeDepth else { return nil }
        // Merge keys in order; within a merge key's sequence, earlier mappings take precedence.
        for e in 0..<n {
            let k = children[base + 2 * e]
            guard isMergeKey(k) else { continue }
            let v = resolvedIndex(children[base + 2 * e + 1])
            let vr = nodes[Int(v)]
            if vr.kind == NodeRecord.mapping {
                if let found = lookup(mapping: v, key: key, depth: depth + 1) { return found }
            } else if vr.kind == NodeRecord.sequence {
                for s in 0..<Int(vr.b) {
                    let m = resolvedIndex(children[Int(vr.a) + s])
                    if let found = lookup(mapping: m, key: key, depth: depth + 1) { return found }
                }
            }
        }
        return nil
    }

    func collectMerged(
        mapping: Int32, into result: inout [(key: YAMLNode, value: YAMLNode)], seen: inout [String: Int], depth: Int
    ) {
        let r = nodes[Int(mapping)]
        guard r.kind == NodeRecord.mapping else { return }
        let base = Int(r.a)
        let n = Int(r.b) / 2
        var merges: [Int32] = []
        for e in 0..<n {
            let k = children[base + 2 * e]
            let v = children[base + 2 * e + 1]
            if isMergeKey(k) {
                merges.append(resolvedIndex(v))
                continue
            }
            let keyNode = YAMLNode(storage: self, index: k)
            guard let text = keyNode.scalarText else {
                result.append((keyNode, YAMLNode(storage: self, index: v)))
                continue
            }
            if let at = seen[text] {
                result[at].value = YAMLNode(storage: self, index: v)  // a repeated key: the last one wins
            } else {
                seen[text] = result.count
                result.append((keyNode, YAMLNode(storage: self, index: v)))
            }
        }
        guard depth < Self.maxMergeDepth else { return }
        for m in merges {
            let mr = nodes[Int(m)]
            let sources: [Int32] =
                mr.kind == NodeRecord.sequence
                ? (0..<Int(mr.b)).map { resolvedIndex(children[Int(mr.a) + $0]) } : [m]
            for source in sources {
                var inner: [(key: YAMLNode, value: YAMLNode)] = []
                var innerSeen: [String: Int] = [:]
                collectMerged(mapping: source, into: &inner, seen: &innerSeen, depth: depth + 1)
                for entry in inner {
                    guard let text = entry.key.scalarText else {
                        result.append(entry)
                        continue
                    }
                    if seen[text] == nil {
                        seen[text] = result.count
                        result.append(entry)
                    }
                }
            }
        }
    }
}
