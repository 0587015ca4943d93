// libFuzzer target for Snappy. Built by scripts/fuzz in one swiftc invocation with all of
// Sources/Snappy, so internal API is reachable without @testable.
//
// Every input is used twice. Checked (a violation calls fatalError, which libFuzzer reports as a
// crash with the input saved):
//   - as a compressed block: decompressing never crashes or reads and writes out of bounds (ASan),
//     under a limit of 64 KiB; on success the output has exactly the declared length, and on
//     failure the caller's buffer keeps its contents; a block over the limit is refused from its
//     header alone, and `uncompressedLength` agrees with the header;
//   - as data: compressing it (with a compressor reused across inputs) and decompressing the
//     result gives the input back, within `maximumCompressedLength`.

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

nonisolated(unsafe) private var compressor = SnappyCompressor()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let limit = 1 << 16
    let prefix: ContiguousArray<UInt8> = [1, 2, 3]
    var output = prefix
    do {
        try Snappy.decompress(raw, into: &output, maximumLength: limit)
        let declared = try Snappy.uncompressedLength(of: raw)
        check(output.count == prefix.count + declared, "decoded \(output.count - prefix.count) bytes, declared \(declared)")
        check(output.prefix(prefix.count).elementsEqual(prefix), "the buffer's earlier bytes changed")
    } catch {
        check(output == prefix, "a failed decompression changed the buffer: \(error)")
        if case .lengthOverLimit(let length, _) = error { check(length > limit, "refused \(length) bytes under the limit") }
    }

    var compressed = ContiguousArray<UInt8>()
    compressor.compress(raw, into: &compressed)
    check(compressed.count <= Snappy.maximumCompressedLength(size), "compressed to \(compressed.count) bytes")
    var restored = ContiguousArray<UInt8>()
    do {
        try Snappy.decompress(compressed, into: &restored, maximumLength: size)
    } catch {
        fatalError("fuzz invariant violated: our own block failed to decompress: \(error)")
    }
    check(restored.elementsEqual(raw), "round trip changed the data")
    return 0
}
