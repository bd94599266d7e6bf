/// A growable array of plain values for the tree builder's hot loop: appends without copy-on-write
/// checks, and memory handed over to `YAMLStorage` at the end without a copy.
struct PlainBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 1)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    @inline(__always) subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < count, "PlainBuffer index out of range")
            return base[i]
        }
        set {
            assert(i >= 0 && i < count, "PlainBuffer index out of range")
            base[i] = newValue
        }
    }

    /// The element at `i`, for in-place updates of its fields.
    @inline(__always) func pointer(at i: Int) -> UnsafeMutablePointer<Element> {
        assert(i >= 0 && i < count, "PlainBuffer index out of range")
        return base + i
    }

    @inline(__always) mutating func append(_ element: Element) {
        if count == capacity { grow(minimum: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always) mutating func append(_ elements: UnsafePointer<Element>, count n: Int) {
        if capacity - count < n { grow(minimum: count + n) }
        (base + count).initialize(from: elements, count: n)
        count += n
    }

    /// Removes and returns the last element; the buffer must not be empty.
    @inline(__always) mutating func removeLast() -> Element {
        assert(count > 0, "PlainBuffer is empty")
        count -= 1
        return base[count]
    }

    /// Keeps the first `newCount` elements.
    @inline(__always) mutating func truncate(to newCount: Int) {
        assert(newCount >= 0 && newCount <= count, "PlainBuffer truncation out of range")
        count = newCount
    }

    /// Makes room for `minimumCapacity` elements in all.
    mutating func reserve(_ minimumCapacity: Int) {
        if minimumCapacity > capacity { resize(to: minimumCapacity) }
    }

    @inline(never) mutating func grow(minimum: Int) {
        resize(to: Swift.max(capacity * 2, minimum))
    }

    private mutating func resize(to newCapacity: Int) {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Hands the elements' memory to the caller, who must deallocate it; the buffer is left empty.
    mutating func take() -> UnsafeBufferPointer<Element> {
        let taken = UnsafeBufferPointer(start: base, count: count)
        base = .allocate(capacity: 1)
        capacity = 1
        count = 0
        return taken
    }
}
