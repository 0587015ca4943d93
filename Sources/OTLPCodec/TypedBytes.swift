extension ContiguousArray<UInt8> {
    /// Calls `body` with the bytes, passing its typed error on (the standard library's
    /// `withUnsafeBytes` rethrows it as `any Error`).
    func withTypedUnsafeBytes<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
        try withUnsafeBytes { bytes in Result { () throws(E) in try body(bytes) } }.get()
    }
}
