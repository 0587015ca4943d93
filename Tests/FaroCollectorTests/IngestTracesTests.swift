import FaroCollector
import IntakePolicy
import LokiPushCodec
import Synchronization
import Testing

/// A payload's `traces` are checked as OTLP whether or not the collector exports traces: Alloy
/// decodes them with the rest of the payload and refuses the whole payload when they are not OTLP.
@Suite("FaroIngestor: a payload's traces")
struct IngestTracesTests {
    /// Counts the batches it takes.
    final class CountingSink: LogLineSink {
        let batches = Mutex(0)

        func accept(_ batch: LokiBatch, tenant: String?) throws(CollectorExportError) {
            batches.withLock { $0 += 1 }
        }
    }

    /// Ingests `json` as a Faro payload posted to `/collect`, by an ingestor whose lines go to
    /// `sink` and that has no OTLP sink; nil (and an issue recorded) if it did not get that far.
    static func ingest(_ json: String, into sink: CountingSink) throws -> Result<IngestReceipt, IntakeRejection>? {
        let configuration = CollectorConfiguration()
        let ingestor = try FaroIngestor(
            configuration: configuration, logs: sink, otlp: nil, metrics: CollectorMetrics(), logger: .init(label: "test"))
        let head = IntakeRequestHead(method: "POST", uri: "/collect", contentType: "application/json")
        guard case .readBody(let admission) = try CollectorIntake(configuration: configuration).decide(head) else {
            Issue.record("the request was not admitted")
            return nil
        }
        var scratch = ingestor.makeScratch()
        let outcome = ingestor.ingest(
            ContiguousArray(json.utf8), admission: admission, receivedAt: LokiTimestamp(seconds: 1_700_000_000, nanoseconds: 0),
            scratch: &scratch)
        guard case .finished(let result) = outcome else {
            Issue.record("no result")
            return nil
        }
        return result
    }

    /// One log, the member that every payload of these tests has besides its traces.
    static let log = #""logs":[{"message":"a","timestamp":"2021-09-30T10:46:17.680Z"}]"#

    @Test("traces that are not OTLP refuse the payload, with no OTLP sink, and none of its lines are exported")
    func invalidTracesRefused() throws {
        let sink = CountingSink()
        let traces = #""traces":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","name":"x"}]}]}]}"#
        let result = try Self.ingest("{\(Self.log),\(traces)}", into: sink)
        guard case .failure(let rejection) = result else {
            Issue.record("accepted: \(String(describing: result))")
            return
        }
        #expect(rejection.status == 400)
        #expect(rejection.reason.hasPrefix("traces: offset "), "\(rejection.reason)")
        #expect(rejection.reason.contains("resourceSpans[0].scopeSpans[0].spans[0].traceId"), "\(rejection.reason)")
        #expect(sink.batches.withLock { $0 } == 0)
    }

    @Test("OTLP traces are taken with no OTLP sink, and the payload's lines exported")
    func validTracesTaken() throws {
        let sink = CountingSink()
        let traces = #""traces":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","name":"x"}]}]}]}"#
        let result = try Self.ingest("{\(Self.log),\(traces)}", into: sink)
        guard case .success = result else {
            Issue.record("refused: \(String(describing: result))")
            return
        }
        #expect(sink.batches.withLock { $0 } == 1)
    }
}
