import AsyncHTTPClient
import PushDelivery
import LokiPushCodec

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PushFailure {
    /// How a batch given up after this failure is counted.
    var dropReason: LokiDropReason {
        switch self {
        case .status(429, _, _): .rateLimited
        case .status(let code, _, _) where code < 500: .rejected
        case .status, .transport: .ingesterError
        }
    }
}

extension LokiPushClient {
    /// Sends one request with `body` for `tenant` (`""` for none), counting its duration and,
    /// when Loki answered, its bytes.
    func send(_ body: ContiguousArray<UInt8>, tenant: String, metrics: LokiPushMetrics) async -> PushAttempt {
        await httpClient.push(
            body, to: configuration.url, headers: baseHeaders, tenant: tenant.isEmpty ? nil : tenant, timeout: configuration.timeout
        ) { duration, statusCode in
            metrics.requestDuration(duration, statusCode: statusCode)
            if statusCode != 0 { metrics.encodedBytes.increment(by: body.count) }
        }
    }

    /// The headers every request carries: content type and encoding, user agent, credentials,
    /// and the configured extra headers.
    static func headers(for configuration: LokiPushConfiguration) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", configuration.format.contentType), ("User-Agent", "swift-rum-LokiPush/1")]
        if configuration.format == .json, configuration.gzipJSON { headers.append(("Content-Encoding", "gzip")) }
        switch configuration.authorization {
        case .basic(let username, let password):
            headers.append(("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
        case .bearer(let token):
            headers.append(("Authorization", "Bearer " + token))
        case nil:
            break
        }
        headers += configuration.headers.map { ($0.name, $0.value) }
        return headers
    }

    /// The `host[:port]` of an `http` or `https` URL, or `nil` if `url` is not one.
    static func host(of url: String) -> String? {
        let lowercased = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowercased.hasPrefix($0) }) else { return nil }
        let authority = url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
