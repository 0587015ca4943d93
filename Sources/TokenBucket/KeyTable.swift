/// An open-addressing hash table for the keyed limiter: each slot holds a key's hash, the key and
/// its value side by side, so that a lookup touches one slot, usually one cache line; `Dictionary`
/// keeps hashes, keys and values apart and touched three lines a decision over 100,000 keys.
///
/// Linear probing at a load of at most four fifths, with deletion by backward shift (no
/// tombstones). A slot's hash is 0 when it is empty; real hashes have their low bit set.
/// Not thread-safe: each shard's lock guards its table. For that reason its stored properties go
/// without Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`), which the lock makes
/// redundant and which cost a keyed decision about 230 of its 510 instructions.
@usableFromInline
final class KeyTable<Key: Hashable, Value> {
    @usableFromInline
    struct Slot {
        /// The key's hash with its low bit set; 0 in an empty slot, whose key and value are not
        /// initialized.
        @usableFromInline var hash: Int
        @usableFromInline var key: Key
        @usableFromInline var value: Value

        @inlinable
        init(hash: Int, key: Key, value: Value) {
            self.hash = hash
            self.key = key
            self.value = value
        }
    }

    /// The slots, `mask + 1` of them.
    @exclusivity(unchecked) @usableFromInline var slots: UnsafeMutablePointer<Slot>
    /// The capacity less one (a power of two less one).
    @exclusivity(unchecked) @usableFromInline var mask: Int
    /// The keys held.
    @exclusivity(unchecked) @usableFromInline var count = 0

    /// An empty table.
    @usableFromInline
    init() {
        mask = 7
        slots = Self.allocate(8)
    }

    deinit {
        for index in 0...mask where Self.hash(at: index, in: slots) != 0 { (slots + index).deinitialize(count: 1) }
        slots.deallocate()
    }

    /// Zeroed memory for `capacity` slots.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Slot> {
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        UnsafeMutableRawPointer(slots).initializeMemory(as: UInt8.self, repeating: 0, count: capacity * MemoryLayout<Slot>.stride)
        return slots
    }

    /// The hash field of slot `index`, readable in an empty slot too.
    @inlinable
    static func hash(at index: Int, in slots: UnsafeMutablePointer<Slot>) -> Int {
        (slots + index).pointer(to: \.hash)!.pointee
    }

    /// The table's hash of `key`: the key's hash with its low bit set.
    @inlinable
    static func hash(_ key: Key) -> Int { key.hashValue | 1 }

    /// The slot of `key`, or the empty slot where it would go, and whether it was found.
    @inlinable
    func find(_ key: Key, hash: Int) -> (index: Int, found: Bool) {
        var index = hash & mask
        while true {
            let slotHash = Self.hash(at: index, in: slots)
            if slotHash == 0 { return (index, false) }
            if slotHash == hash && slots[index].key == key { return (index, true) }
            index = (index + 1) & mask
        }
    }

    /// Puts `key` and `value` in the empty slot `index` that `find` gave; returns the slot it is
    /// in (another one when the table grew).
    @inlinable
    func insert(_ key: Key, hash: Int, value: Value, at index: Int) -> Int {
        if (count + 1) * 5 > (mask + 1) * 4 {
            grow()
            let index = find(key, hash: hash).index
            (slots + index).initialize(to: Slot(hash: hash, key: key, value: value))
            count += 1
            return index
        }
        (slots + index).initialize(to: Slot(hash: hash, key: key, value: value))
        count += 1
        return index
    }

    /// Doubles the capacity.
    @usableFromInline
    func grow() {
        let old = slots
        let oldCapacity = mask + 1
        mask = oldCapacity * 2 - 1
        slots = Self.allocate(oldCapacity * 2)
        for index in 0..<oldCapacity where Self.hash(at: index, in: old) != 0 {
            let hash = old[index].hash
            var target = hash & mask
            while Self.hash(at: target, in: slots) != 0 { target = (target + 1) & mask }
            (slots + target).moveInitialize(from: old + index, count: 1)
        }
        old.deallocate()
    }

    /// Empties slot `index` and shifts back the slots after it that probed past it.
    func remove(at index: Int) {
        (slots + index).deinitialize(count: 1)
        var hole = index
        var next = (index + 1) & mask
        while true {
            let hash = Self.hash(at: next, in: slots)
            if hash == 0 { break }
            // The slot's home; it may move to the hole if the hole lies between home and it.
            let home = hash & mask
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToNext {
                (slots + hole).moveInitialize(from: slots + next, count: 1)
                hole = next
            }
            next = (next + 1) & mask
        }
        (slots + hole).pointer(to: \.hash)!.pointee = 0
        count -= 1
    }

    /// Removes every key for which `shouldRemove` holds; returns how many.
    func removeAll(where shouldRemove: (Key, Value) -> Bool) -> Int {
        var removed = 0
        var index = 0
        // A removal may shift a later slot into this one: look at it again. (A slot shifted from
        // the start of the table into a hole at its end was looked at already, and is again.)
        while index <= mask {
            if Self.hash(at: index, in: slots) != 0, shouldRemove(slots[index].key, slots[index].value) {
                remove(at: index)
                removed += 1
            } else {
                index += 1
            }
        }
        return removed
    }

    /// The slot holding the least value by `isLess`, if any.
    func minimum(by isLess: (Value, Value) -> Bool) -> Int? {
        var best: Int?
        for index in 0...mask where Self.hash(at: index, in: slots) != 0 {
            if let current = best, !isLess(slots[index].value, slots[current].value) { continue }
            best = index
        }
        return best
    }
}
