import AsyncHTTPClient
import CoreMetrics
import FaroCollector
import Logging
import NIOCore
import PushDelivery
import ServiceLifecycle
import Snappy

/// Sends the web-vitals histograms to Prometheus by remote write every `interval`, and once more
/// at shutdown.
///
/// Each request carries every series' cumulative counts at that moment, so a request that fails
/// loses nothing that the next one does not carry: failures are logged and counted, not retried.
struct RemoteWriteService: Service {
    let url: String
    let interval: Duration
    let histograms: WebVitalsHistograms
    let logger: Logger
    let metricsFactory: any MetricsFactory

    func run() async {
        var compressor = SnappyCompressor()
        var request = ContiguousArray<UInt8>()
        var body = ContiguousArray<UInt8>()
        // The sleep ends early at graceful shutdown, so that the last counts are sent before exit.
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await send(compressor: &compressor, request: &request, body: &body)
        }
    }

    /// Sends the histograms as they are now.
    private func send(
        compressor: inout SnappyCompressor, request: inout ContiguousArray<UInt8>, body: inout ContiguousArray<UInt8>
    ) async {
        guard histograms.statistics.seriesCount > 0 else { return }
        body.removeAll(keepingCapacity: true)
        histograms.appendRemoteWriteBody(
            timestampMilliseconds: WallClock.unixNanoseconds() / 1_000_000, to: &body, request: &request, compressor: &compressor)
        var post = HTTPClientRequest(url: url)
        post.method = .POST
        for header in PrometheusRemoteWrite.headers { post.headers.add(name: header.name, value: header.value) }
        post.body = .bytes(ByteBuffer(bytes: body))
        let status: String
        do {
            let response = try await HTTPClient.shared.execute(post, timeout: .nanoseconds(interval.nanoseconds))
            status = String(response.status.code)
            if !(200..<300).contains(response.status.code) {
                // Read within the interval too: the request's timeout ends when the head arrives.
                let reason = await withDeadline(.now + interval) { try? await response.body.collect(upTo: 4096) } ?? nil
                logger.error(
                    "remote write refused",
                    metadata: ["url": "\(url)", "status": "\(status)", "reason": "\(reason.map { String(buffer: $0) } ?? "")"])
            }
        } catch {
            status = "error"
            logger.error("remote write failed", metadata: ["url": "\(url)", "err": "\(error)"])
        }
        Counter(label: "faro_receiver_remote_write_requests_total", dimensions: [("status_code", status)], factory: metricsFactory)
            .increment()
    }
}
