import AsyncHTTPClient
import NIOCore
public import SourceMaps

/// Gets scripts and source maps over HTTP with AsyncHTTPClient, for `SourceMapDownloader`.
///
/// It uses one process-wide client that follows no redirects (the downloader checks each
/// target's origin before it follows) and asks for no compression, and reads no more than the
/// size limit of a body: a `Content-Length` above it ends the request before the body is read.
public struct HTTPSourceMapFetcher: SourceMapFetcher {
    /// The client of every fetcher: never shut down, like `HTTPClient.shared`, whose
    /// configuration (which follows redirects) it cannot use.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A fetcher on the process-wide client.
    public init() {}

    /// `GET url` until `deadline`.
    public func fetch(_ url: String, maxBytes: Int, deadline: ContinuousClock.Instant) async throws(SourceMapFetchError) -> FetchedResource {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .timedOut }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "faro-collector")
        let nanoseconds = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        do {
            let response = try await Self.client.execute(request, deadline: .now() + .nanoseconds(nanoseconds))
            switch response.status.code {
            case 200:
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                    throw SourceMapFetchError.tooLarge(limit: maxBytes)
                }
                let body = try await response.body.collect(upTo: maxBytes)
                return .content(Array(body.readableBytesView))
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location") else { throw SourceMapFetchError.status(Int(response.status.code)) }
                return .redirect(location: location)
            default:
                throw SourceMapFetchError.status(Int(response.status.code))
            }
        } catch let error as SourceMapFetchError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: maxBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw .timedOut
        } catch {
            throw .failed(String(describing: error))
        }
    }
}
