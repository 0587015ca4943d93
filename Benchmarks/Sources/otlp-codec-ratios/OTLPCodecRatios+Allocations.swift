import BenchmarkReporting
import OTLPBenchmarkSupport
import OTLPCodec
import SwiftProtobuf

extension OTLPCodecRatios {
    /// What the counting copy counts the allocations of, by the name it reports each count under.
    enum CountedOperation: String, CaseIterable {
        /// ``allocationCountedEncodes`` encodes with the builder into a reused buffer, after warm-up.
        case builderEncodes = "builder encodes"
        /// One `encodeProtobuf(into:)` of the values into a reused buffer, after warm-up.
        case valuesEncode = "values encode"
        /// One swift-protobuf `serializedBytes()`.
        case peerEncode = "swift-protobuf encode"
        /// One `OTLPTracesData(protobuf:)`.
        case decode = "decode"
        /// One swift-protobuf `init(serializedBytes:)`.
        case peerDecode = "swift-protobuf decode"
        /// One OTLP/JSON to protobuf transcoding into a reused buffer, after warm-up.
        case transcoding = "transcoding"
    }

    /// How many builder encodes the allocation count spans, after warm-up.
    static let allocationCountedEncodes = 100

    /// Counts allocations with the interposer loaded and prints them as JSON (the child's side).
    static func printAllocationCounts(_ input: SpanBatchInput) throws {
        guard let counter = AllocationCounter() else {
            throw InputError("malloc-interposer is not loaded: run through otlp-codec-ratios, not with \(countAllocationsArgument)")
        }
        var counts: [String: Int] = [:]
        var buffer = ContiguousArray<UInt8>()
        let encodeWithBuilder = {
            buffer.removeAll(keepingCapacity: true)
            input.batch.appendProtobuf(to: &buffer)
        }
        for _ in 0..<3 { encodeWithBuilder() }
        counts[CountedOperation.builderEncodes.rawValue] = counter.count {
            for _ in 0..<allocationCountedEncodes { encodeWithBuilder() }
        }
        let encodeValues = {
            buffer.removeAll(keepingCapacity: true)
            input.tracesData.encodeProtobuf(into: &buffer)
        }
        encodeValues()
        counts[CountedOperation.valuesEncode.rawValue] = counter.count(of: encodeValues)
        counts[CountedOperation.peerEncode.rawValue] = try counter.count {
            blackHole(try input.exportRequest.serializedBytes() as [UInt8])
        }
        counts[CountedOperation.decode.rawValue] = try counter.count {
            blackHole(try input.protobuf.withUnsafeBytes { try OTLPTracesData(protobuf: $0) })
        }
        counts[CountedOperation.peerDecode.rawValue] = try counter.count {
            blackHole(try PeerExportRequest(serializedBytes: input.protobuf))
        }
        let transcode = {
            buffer.removeAll(keepingCapacity: true)
            try input.json.withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: .traces, into: &buffer) }
        }
        try transcode()
        counts[CountedOperation.transcoding.rawValue] = try counter.count(of: transcode)
        try AllocationCounter.printCounts(counts)
    }

    /// Prints the allocation counts of the counting copy, `nil` if it could not run, and checks
    /// the target of no allocation per span when encoding with the builder into a reused buffer.
    static func reportAllocations(_ allocations: [String: Int]?, of input: SpanBatchInput, into report: inout Report) {
        let target = "0 allocations per span, builder into a reused buffer after warm-up"
        guard let allocations else {
            report.note("allocations: not counted (libMallocInterposerSwift not found beside the tool; build the whole package)")
            report.target(target, on: inputName, met: false, figure: "not counted")
            return
        }
        let count = { (operation: CountedOperation) in allocations[operation.rawValue] ?? -1 }
        let spans = Double(input.spanCount)
        let builderCount = count(.builderEncodes)
        let perSpan = Double(builderCount) / Double(allocationCountedEncodes) / spans
        report.target(target, on: inputName, met: builderCount == 0, figure: String(format: "%g", perSpan))
        report.note(
            "allocations per span with the builder into a reused buffer after warm-up: \(String(format: "%g", perSpan)) "
                + "(\(builderCount) mallocs over \(allocationCountedEncodes) encodes of \(input.spanCount) spans)")
        let perBatch = { (operation: CountedOperation) in
            let figure = count(operation)
            return "\(operation.rawValue) \(Report.grouped(Double(figure))) (\(String(format: "%.2f", Double(figure) / spans))/span)"
        }
        report.note(
            "allocations per batch: "
                + [.valuesEncode, .peerEncode, .decode, .peerDecode, .transcoding].map(perBatch).joined(separator: ", "))
    }
}
