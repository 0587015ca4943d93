public import Foundation

/// A directory made for one test under the temporary directory, removed with everything in it
/// once the last reference to it goes (when the test that made it ends).
public final class TestDirectory: Sendable {
    /// Where it is.
    public let url: URL

    /// Makes `prefix-UUID` under the temporary directory.
    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
