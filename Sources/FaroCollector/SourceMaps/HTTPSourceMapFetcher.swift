import AsyncHTTPClient
import NIOCore
import func PushDelivery.withDeadline
public import SourceMaps
import TokenBucket

/// Gets scripts and source maps over HTTP with AsyncHTTPClient, for `SourceMapDownloader`.
///
/// It uses one process-wide client that follows no redirects (the downloader checks each
/// target's origin before it follows) and asks for no compression, and reads no more than the
/// size limit of a body: a `Content-Length` above it ends the request before the body is read.
///
/// Each request is counted in `faro_receiver_sourcemap_downloads_total` as Alloy counts it, by
/// the origin of its URL and the answer's status code, or `?` when no answer came; each redirect
/// is a request of its own (Alloy's client follows them and counts one).
public struct HTTPSourceMapFetcher: SourceMapFetcher {
    /// The client of every fetcher: never shut down, like `HTTPClient.shared`, whose
    /// configuration (which follows redirects) it cannot use.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Where requests are counted, if anywhere.
    private let metrics: CollectorMetrics?

    /// A fetcher on the process-wide client, counting its requests in `metrics`.
    public init(metrics: CollectorMetrics? = nil) {
        self.metrics = metrics
    }

    /// `GET url` until `deadline`.
    public func fetch(_ url: String, maxBytes: Int, deadline: ContinuousClock.Instant) async throws(SourceMapFetchError) -> FetchedResource {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .timedOut }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "faro-collector")
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(request, deadline: .now() + .nanoseconds(remaining.nanoseconds))
        } catch {
            metrics?.sourceMapDownload(origin: MetricOrigin.of(url), httpStatus: "?")
            throw Self.fetchError(error, maxBytes: maxBytes)
        }
        metrics?.sourceMapDownload(origin: MetricOrigin.of(url), httpStatus: String(response.status.code))
        switch response.status.code {
        case 200:
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                throw .tooLarge(limit: maxBytes)
            }
            return .content(try await Self.body(of: response, maxBytes: maxBytes, deadline: deadline))
        case 301, 302, 303, 307, 308:
            guard let location = response.headers.first(name: "Location") else { throw .status(Int(response.status.code)) }
            return .redirect(location: location)
        default:
            throw .status(Int(response.status.code))
        }
    }

    /// The body of `response`, read until `deadline`: AsyncHTTPClient's deadline ends when the
    /// head arrives, so a server that sends its head and then holds back its body would otherwise
    /// keep the download (and the payloads that wait for it) past the download timeout.
    private static func body(
        of response: HTTPClientResponse, maxBytes: Int, deadline: ContinuousClock.Instant
    ) async throws(SourceMapFetchError) -> [UInt8] {
        let read = await withDeadline(deadline) { () -> Result<[UInt8], SourceMapFetchError> in
            do {
                return .success(Array(try await response.body.collect(upTo: maxBytes).readableBytesView))
            } catch {
                return .failure(fetchError(error, maxBytes: maxBytes))
            }
        }
        guard let read else { throw .timedOut }
        return try read.get()
    }

    /// The fetch error for what the client threw.
    private static func fetchError(_ error: any Error, maxBytes: Int) -> SourceMapFetchError {
        switch error {
        case is NIOTooManyBytesError: .tooLarge(limit: maxBytes)
        case let error as HTTPClientError where error == .deadlineExceeded: .timedOut
        default: .failed(String(describing: error))
        }
    }
}
