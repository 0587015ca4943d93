/// A string-keyed map kept sorted by the UTF-8 bytes of its keys, with unique keys.
///
/// Faro sends contexts, attributes and measurement values as JSON objects; Alloy reads
/// them into Go maps and writes them sorted by key, byte by byte. `FaroMap` keeps that
/// order, so encoders never sort, and a later duplicate key replaces an earlier one,
/// as in a Go map.
public struct FaroMap<Value: Sendable & Hashable>: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One key and its value.
    public struct Element: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: Value

        /// Creates an element.
        public init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The elements, sorted by key bytes, keys unique.
    private(set) var elements: [Element]

    /// Creates an empty map.
    public init() { elements = [] }

    /// Creates a map from key-value pairs; a later pair replaces an earlier one with the same key.
    public init(_ pairs: some Sequence<(String, Value)>) {
        elements = pairs.map { Element(key: $0.0, value: $0.1) }
        restoreOrder()
    }

    /// Creates a map from a dictionary literal; a later pair replaces an earlier one with the same key.
    public init(dictionaryLiteral pairs: (String, Value)...) {
        self.init(pairs)
    }

    /// The position of the first element.
    public var startIndex: Int { elements.startIndex }
    /// The position past the last element.
    public var endIndex: Int { elements.endIndex }
    /// The element at `position`, in key order.
    public subscript(position: Int) -> Element { elements[position] }

    /// The keys, in order.
    public var keys: [String] { elements.map(\.key) }

    /// The value for `key`, or `nil`; setting `nil` removes the key.
    public subscript(key: String) -> Value? {
        get {
            let (index, found) = search(key)
            return found ? elements[index].value : nil
        }
        set {
            let (index, found) = search(key)
            switch (found, newValue) {
            case (true, let value?): elements[index].value = value
            case (true, nil): elements.remove(at: index)
            case (false, let value?): elements.insert(Element(key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Reserves room for `count` elements.
    mutating func reserveCapacity(_ count: Int) {
        elements.reserveCapacity(count)
    }

    /// A map of `elements` that are already sorted by key bytes, each key once.
    init(orderedElements elements: [Element]) {
        self.elements = elements
    }

    /// Appends an element without keeping order; `restoreOrder()` must follow before the map is read.
    mutating func appendUnordered(_ element: Element) {
        elements.append(element)
    }

    /// Sorts by key bytes and removes duplicate keys, keeping the last of each: in place by
    /// insertion (stable) for the small maps Faro sends, in O(n log n) for large ones.
    mutating func restoreOrder() {
        var sorted = true
        var index = elements.startIndex + 1
        while index < elements.endIndex {
            if !FaroMap.precedes(elements[index - 1].key, elements[index].key) {
                sorted = false
                break
            }
            index += 1
        }
        if sorted { return }
        if elements.count <= 32 {
            for position in 1..<elements.count {
                var insertion = position
                while insertion > 0, FaroMap.precedes(elements[position].key, elements[insertion - 1].key) {
                    insertion -= 1
                }
                if insertion < position {
                    let element = elements.remove(at: position)
                    elements.insert(element, at: insertion)
                }
            }
        } else {
            let order = elements.indices.sorted { a, b in
                let (ka, kb) = (elements[a].key, elements[b].key)
                if FaroMap.precedes(ka, kb) { return true }
                if FaroMap.precedes(kb, ka) { return false }
                return a < b
            }
            elements = order.map { elements[$0] }
        }
        // Equal keys are now adjacent, in their original order: keep the last of each run.
        var kept = 0
        for position in elements.indices {
            if kept > 0, FaroMap.bytesEqual(elements[kept - 1].key, elements[position].key) {
                elements[kept - 1] = elements[position]
            } else {
                if kept != position { elements[kept] = elements[position] }
                kept += 1
            }
        }
        elements.removeSubrange(kept...)
    }

    /// The insertion point of `key` and whether it is present.
    private func search(_ key: String) -> (Int, Bool) {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if FaroMap.precedes(elements[middle].key, key) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return (low, low < elements.count && FaroMap.bytesEqual(elements[low].key, key))
    }

    /// Whether `a` sorts before `b` byte by byte, as Go compares strings.
    static func precedes(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// Whether `a` and `b` have the same bytes (`==` on strings also equates canonically equivalent text).
    static func bytesEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && compare(a, b) == 0
    }

    /// The byte-wise order of `a` and `b`: negative, zero or positive.
    private static func compare(_ a: String, _ b: String) -> Int {
        let result = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in
                UnsafeRawBufferPointer(left).compareBytes(UnsafeRawBufferPointer(right))
            }
        }
        if let result, let result { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

/// String attributes: contexts, user, session and page attributes, event attributes.
public typealias FaroAttributes = FaroMap<String>
