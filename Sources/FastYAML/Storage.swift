/// One node of the flat node array. 44 bytes; 32-bit offsets (inputs are limited to 1 GiB).
struct NodeRecord {
    static let scalar: UInt8 = 0
    static let sequence: UInt8 = 1
    static let mapping: UInt8 = 2
    static let alias: UInt8 = 3

    static let flagPlainImplicit: UInt8 = 1
    static let flagQuotedImplicit: UInt8 = 2
    static let flagFlow: UInt8 = 4

    var kind: UInt8
    /// `YAMLScalarStyle` raw value for scalars.
    var style: UInt8
    var flags: UInt8
    /// Index into `strings`, or -1.
    var tag: Int32
    /// Index into `strings`, or -1. For an alias: the anchor name it refers to.
    var anchor: Int32
    /// Scalar: start of its value in `values`. Container: start of its children in `children`.
    /// Alias: the index of the anchored node.
    var a: Int32
    /// Scalar: value length in bytes. Container: number of children (mappings: 2 per entry).
    var b: Int32
    var startOffset: Int32
    var startLine: Int32
    var startColumn: Int32
    var endOffset: Int32
    var endLine: Int32
    var endColumn: Int32
}

/// The immutable buffers behind every node of a stream. It owns the builder's memory (handed over without a
/// copy) and frees it when the last node goes; nothing writes to it after `init`, hence `@unchecked Sendable`.
/// Indices into it come from the builder, which links only nodes it stored.
final class YAMLStorage: @unchecked Sendable {
    let nodes: UnsafeBufferPointer<NodeRecord>
    /// Children of containers: element indices for sequences, key and value indices for mappings.
    let children: UnsafeBufferPointer<Int32>
    /// The decoded bytes of every scalar, back to back.
    let values: UnsafeBufferPointer<UInt8>
    /// Tags and anchor names.
    let strings: [String]

    /// Takes ownership of the three buffers' memory.
    init(
        nodes: UnsafeBufferPointer<NodeRecord>, children: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<UInt8>,
        strings: [String]
    ) {
        self.nodes = nodes
        self.children = children
        self.values = values
        self.strings = strings
    }

    deinit {
        nodes.deallocate()
        children.deallocate()
        values.deallocate()
    }
}

extension UnsafeBufferPointer {
    /// The same spelling as `Array`'s, so that readers of `YAMLStorage` read its buffers one way.
    @inline(__always) func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(self)
    }
}
