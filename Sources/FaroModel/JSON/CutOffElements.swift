/// The elements that a shorter repeat of an array key cut off, which Go keeps and decodes into
/// again when a later repeat is longer (golang/go#21092).
///
/// Go's `encoding/json` decodes a repeated array key into the slice the earlier one filled: into
/// its elements, then past its length into the rest of its backing array, and it shortens the
/// slice's length (`SetLen`) when the new array has fewer elements. The elements past the length
/// stay in the backing array, and the next longer array takes them up again, merging its members
/// into theirs. The slice only grows a new backing array when its length reaches its capacity, so
/// no cut-off element is ever lost to growth; it is lost when the slice is set anew, by `null`
/// (nil) or `[]` (a new empty slice). Nothing is kept between payloads.
struct CutOffElements {
    /// A slice of Alloy's payload structs that a JSON array fills.
    enum Slice: Hashable {
        case exceptions, logs, measurements, events
        /// `meta.sdk.integrations`.
        case integrations
        /// The stack frames of the exception at that index of `exceptions`.
        case frames(exception: Int)
    }

    /// Each slice's cut-off elements, the last first (so that taking them up again is `popLast`).
    private var elements: [Slice: Any] = [:]

    /// Whether no slice has cut-off elements: then arrays are filled without looking here.
    var isEmpty: Bool { elements.isEmpty }

    /// Removes and returns the cut-off elements of `slice`, the last first.
    mutating func take<Element>(_ slice: Slice, as type: Element.Type) -> [Element] {
        guard let kept = elements.removeValue(forKey: slice) else { return [] }
        // Each slice holds one element type: `Slice` names the field.
        return kept as! [Element]
    }

    /// Keeps `cutOff` (the last first) as the cut-off elements of `slice`.
    mutating func keep<Element>(_ cutOff: [Element], of slice: Slice) {
        if !cutOff.isEmpty { elements[slice] = cutOff }
    }

    /// Forgets the cut-off elements of `slice`, which is set anew, and of the slices its elements
    /// hold (an exception's stack frames).
    mutating func forget(_ slice: Slice) {
        guard !elements.isEmpty else { return }
        elements[slice] = nil
        if slice == .exceptions {
            elements = elements.filter { if case .frames = $0.key { false } else { true } }
        }
    }
}
