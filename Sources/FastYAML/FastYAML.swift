import CYAML

/// FastYAML: a thin wrapper over libyaml's event API that builds a compact, immutable tree per document.
///
/// Nodes live in one flat array shared by every document of a stream; scalar values are the bytes libyaml
/// decoded (escapes processed, lines folded), kept in one shared buffer and turned into `String`s only
/// when asked. Aliases point at the anchored node and are never copied. Entry point: `YAMLStream.parse`.
public enum FastYAML {
    /// The version of the linked libyaml, e.g. `0.2.5`.
    public static var libyamlVersion: String { String(cString: yaml_get_version_string()) }
}

/// A position in the input, as libyaml reports it, with the byte offset computed by FastYAML.
public struct YAMLMark: Sendable, Hashable {
    /// Byte offset into the input buffer (a leading BOM counts: it is part of the buffer).
    public var offset: Int
    /// 0-based line, as libyaml counts them (it also breaks lines at `\r`, NEL, LS and PS).
    public var line: Int
    /// 0-based column in Unicode scalars (a leading BOM is not counted).
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// What a node is. Aliases are resolved transparently: an alias reports its target's kind.
public enum YAMLNodeKind: UInt8, Sendable, Hashable {
    case scalar, sequence, mapping
}

/// How a scalar was written.
public enum YAMLScalarStyle: UInt8, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A problem found while parsing. Line and column are 1-based, for users.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// libyaml rejected the text (scanner or parser error): the stream ends there.
        case syntax
        /// The bytes are not UTF-8 text (UTF-16, invalid UTF-8, control characters such as NUL).
        case encoding
        /// Nesting deeper than `YAMLParseOptions.maxDepth`; the document is dropped (parsing resumes at the
        /// next `---` line, so the time stays linear however deep the nesting goes).
        case depth
        /// The stream's aliases would expand beyond `YAMLParseOptions.maxAliasExpansion` nodes, counted over
        /// every document of the stream; the document is dropped.
        case aliasExpansion
        /// An alias names no anchor defined before it; the document is dropped.
        case undefinedAlias
        /// The input is too large for FastYAML's 32-bit offsets, or holds more than
        /// `YAMLParseOptions.maxDocuments` documents or `maxNodes` nodes (the stream ends there).
        case tooLarge
    }

    public var kind: Kind
    /// The problem, e.g. libyaml's `mapping values are not allowed in this context`.
    public var message: String
    /// libyaml's context text, e.g. `while scanning a simple key`, when it gives one.
    public var context: String?
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem (Unicode scalars).
    public var column: Int
    /// Byte offset of the problem in the input.
    public var offset: Int

    public init(kind: Kind, message: String, context: String? = nil, line: Int, column: Int, offset: Int) {
        self.kind = kind
        self.message = message
        self.context = context
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column: message (context)`.
    public var description: String {
        "\(line):\(column): \(message)" + (context.map { " (\($0))" } ?? "")
    }
}

/// Limits that keep hostile input cheap.
public struct YAMLParseOptions: Sendable, Hashable {
    /// Deepest nesting of sequences and mappings accepted; deeper documents are dropped with an error.
    public var maxDepth: Int
    /// How many nodes aliases may add when expanded (beyond the nodes actually written), over the whole
    /// stream (every document of a file), before a document is rejected as an alias bomb ("billion
    /// laughs"). A per-file budget: a reader that walks the expanded tree does at most this much more work
    /// than the file's size asks for, however many documents share it.
    public var maxAliasExpansion: Int

    /// The default alias budget: far above what hand-written anchors and merge keys use (a compose file's
    /// `<<: *defaults` in 50 services is about a thousand nodes), far below what costs memory.
    public static let defaultMaxAliasExpansion = 100_000

    /// Documents read from one stream at most; past it the stream ends with a `tooLarge` error (4 million
    /// empty documents fit in 16 MiB and cost 240 bytes each).
    public var maxDocuments: Int
    /// Nodes (scalars, collections, aliases) read from one stream at most; past it the document being read
    /// is dropped and the stream ends with a `tooLarge` error. A node takes about 50 bytes: 8 million
    /// one-character scalars fit in 16 MiB and took 514 MB. Kubernetes YAML has one node per 14 bytes, so
    /// 16 MiB of it is about 1.2 million.
    public var maxNodes: Int

    public init(
        maxDepth: Int = 512, maxAliasExpansion: Int = YAMLParseOptions.defaultMaxAliasExpansion,
        maxDocuments: Int = 100_000, maxNodes: Int = 2_000_000
    ) {
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDocuments = maxDocuments
        self.maxNodes = maxNodes
    }
}

/// The documents of a YAML stream and the errors met while parsing it.
///
/// A syntax error ends the stream: the documents completed before it are kept. Depth, alias and
/// undefined-alias errors drop only the document they occur in.
public struct YAMLStream: Sendable {
    public var documents: [YAMLDocument]
    public var errors: [YAMLError]

    public init(documents: [YAMLDocument], errors: [YAMLError]) {
        self.documents = documents
        self.errors = errors
    }

    /// Parses `bytes` (UTF-8, optionally with a BOM). Never traps; problems are returned in `errors`.
    public static func parse(_ bytes: [UInt8], options: YAMLParseOptions = .init()) -> YAMLStream {
        bytes.withUnsafeBytes { parse($0, options: options) }
    }

    /// Parses the bytes of `buffer`, which need only live for the duration of the call.
    public static func parse(_ buffer: UnsafeRawBufferPointer, options: YAMLParseOptions = .init()) -> YAMLStream {
        var builder = TreeBuilder(input: buffer, options: options)
        return builder.run()
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String, options: YAMLParseOptions = .init()) -> YAMLStream {
        parse(Array(text.utf8), options: options)
    }
}

/// One document of a stream.
public struct YAMLDocument: Sendable {
    /// The root node. An empty document (`---` alone) has an empty plain scalar root, which `isNull`.
    public let root: YAMLNode
    /// 0-based position of the document in the stream.
    public let index: Int
    /// Where the document starts (its `---` when explicit) and ends.
    public let startMark: YAMLMark
    public let endMark: YAMLMark
    /// True when the document opened with `---`.
    public let hasExplicitStart: Bool
    /// True when the document closed with `...`.
    public let hasExplicitEnd: Bool
    /// The document's nodes in the shared storage.
    let nodeRange: Range<Int>

    init(
        root: YAMLNode, index: Int, startMark: YAMLMark, endMark: YAMLMark, hasExplicitStart: Bool,
        hasExplicitEnd: Bool, nodeRange: Range<Int>
    ) {
        self.root = root
        self.index = index
        self.startMark = startMark
        self.endMark = endMark
        self.hasExplicitStart = hasExplicitStart
        self.hasExplicitEnd = hasExplicitEnd
        self.nodeRange = nodeRange
    }

    /// Every scalar key that repeats an earlier key of the same mapping, anywhere in the document, in
    /// document order, with the earlier key it repeats. Merge keys (`<<`) are not counted.
    public func duplicateKeys() -> [(key: YAMLNode, previous: YAMLNode)] {
        var result: [(key: YAMLNode, previous: YAMLNode)] = []
        let storage = root.storage
        for i in nodeRange where storage.nodes[i].kind == NodeRecord.mapping {
            let mapping = YAMLNode(storage: storage, index: Int32(i))
            mapping.duplicateKeyPairs(into: &result)
        }
        result.sort { $0.key.startMark.offset < $1.key.startMark.offset }
        return result
    }
}
