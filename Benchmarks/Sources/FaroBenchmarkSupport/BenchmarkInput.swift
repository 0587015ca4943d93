import BenchmarkReporting
public import FaroModel
public import Foundation

/// A payload that the benchmarks decode and encode: its bytes, as FaroModel and as the peer
/// take them, and what it holds.
public struct BenchmarkInput: Sendable {
    /// A short name for reports.
    public let name: String
    /// The JSON bytes, as `FaroPayloadDecoder` takes them.
    public let bytes: ContiguousArray<UInt8>
    /// The same bytes as `Data`, as `JSONDecoder` takes them.
    public let data: Data
    /// The decoded payload, for the benchmarks that only encode.
    public let payload: FaroPayload

    /// Decodes `bytes` once with both decoders, checking that they agree on the items.
    public init(name: String, bytes: ContiguousArray<UInt8>) throws {
        self.name = name
        self.bytes = bytes
        data = Data(bytes)
        payload = try FaroPayloadDecoder().decode(bytes)
        let peerItems = try CodablePeer().decode(data).itemCount
        guard peerItems == payload.itemCount else {
            throw InputError("\(name): JSONDecoder found \(peerItems) items, FaroModel \(payload.itemCount)")
        }
    }

    /// The number of items, one log line each.
    public var itemCount: Int { payload.itemCount }

    /// The size in bytes.
    public var size: Int { bytes.count }

    /// Alloy's test payload, `../shared/vectors/alloy/payload.json` beside the repository.
    public static func payloadJSON() throws -> BenchmarkInput {
        let url = vectorsDirectory.appending(path: "alloy/payload.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError("cannot read \(url.path): \(error)")
        }
        return try BenchmarkInput(name: "payload.json", bytes: ContiguousArray(data))
    }

    /// The generated payload of about 1 MiB with 1,000 mixed items (``GeneratedPayload``).
    public static func generated() throws -> BenchmarkInput {
        let input = try BenchmarkInput(name: "generated 1 MiB", bytes: GeneratedPayload.bytes())
        guard input.itemCount == GeneratedPayload.itemCount else {
            throw InputError("generated payload: FaroModel found \(input.itemCount) items, not \(GeneratedPayload.itemCount)")
        }
        return input
    }

    /// Both inputs, `payload.json` first.
    public static func all() throws -> [BenchmarkInput] {
        [try payloadJSON(), try generated()]
    }

    /// `shared/vectors`, beside the repository that holds this file.
    private static var vectorsDirectory: URL {
        URL(filePath: #filePath)
            .deletingLastPathComponent()  // FaroBenchmarkSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()  // the repository
            .deletingLastPathComponent()
            .appending(path: "shared/vectors")
    }
}
