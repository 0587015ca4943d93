import OTLPCodec

/// A deterministic batch of browser spans from one web shop front end, as an exporter sends
/// them in one request: one resource with five attributes, one instrumentation scope, and page
/// loads of ten spans each (the document load, the document fetch and eight fetches of assets
/// and API calls), spread over sessions of five page loads.
///
/// Every value is a function of the span's index, so every run and machine gets the same
/// batch; the lists of names, URLs and status codes have different lengths so that their
/// combinations vary.
public struct BrowserSpanBatch: Sendable {
    /// How many spans the benchmarks' batch holds.
    public static let standardSpanCount = 1_000
    /// How many spans one page load makes.
    static let spansPerPageLoad = 10
    /// How many page loads one session makes.
    static let pageLoadsPerSession = 5
    /// When the first page load starts: 2025-11-24, in nanoseconds since the Unix epoch.
    static let firstStartUnixNano: UInt64 = 1_764_000_000_000_000_000

    /// The spans.
    public let spans: [BrowserSpan]
    /// The resource's attributes, all strings.
    public let resourceAttributes: [(key: String, value: String)] = [
        ("service.name", "shop-frontend"),
        ("service.version", "2.14.3"),
        ("deployment.environment", "production"),
        ("telemetry.sdk.name", "@grafana/faro-web-sdk"),
        ("telemetry.sdk.language", "webjs"),
    ]
    /// The instrumentation scope's name.
    public let scopeName = "@grafana/faro-web-tracing"
    /// The instrumentation scope's version.
    public let scopeVersion = "1.12.2"

    /// A batch of `spanCount` spans.
    public init(spanCount: Int = standardSpanCount) {
        spans = (0..<spanCount).map(BrowserSpanBatch.span)
    }

    /// The span at `index` of a batch.
    static func span(_ index: Int) -> BrowserSpan {
        let pageLoad = index / spansPerPageLoad
        let position = index % spansPerPageLoad
        let session = pageLoad / pageLoadsPerSession
        let page = pages[pageLoad % pages.count]
        let pageURL = "https://shop.example.com\(page)"
        let start = firstStartUnixNano + UInt64(pageLoad) * 30_000_000_000 + UInt64(position) * 85_000_000
        let duration = UInt64(20 + index * 37 % 900) * 1_000_000
        let statusCode = statusCodes[index % statusCodes.count]
        let eventOffset = Int64(1 + index * 13 % 19)
        let (name, kind, url, method) = request(index: index, position: position, pageURL: pageURL)
        return BrowserSpan(
            traceID: traceID(pageLoad), spanID: spanID(index),
            parentSpanID: position == 0 ? nil : spanID(index - position), flags: 0x101,
            name: name, kind: kind, startTimeUnixNano: start, endTimeUnixNano: start + duration,
            url: url, method: method, sessionID: sessionID(session), pageURL: pageURL,
            statusCode: statusCode, responseContentLength: Int64(312 + index * 7_919 % 180_000),
            timeToFirstByteMilliseconds: Double(15 + index * 29 % 400) + Double(index % 100) / 100,
            fromCache: statusCode == 304 || index % 7 == 0,
            event: BrowserSpan.Event(
                timeUnixNano: start + UInt64(eventOffset) * 1_000_000, name: marks[index % marks.count],
                offsetMilliseconds: eventOffset),
            link: position == 0
                ? BrowserSpan.Link(traceID: traceID(pageLoad - 1), spanID: spanID(index - spansPerPageLoad), type: "follows_from")
                : BrowserSpan.Link(traceID: traceID(pageLoad), spanID: spanID(index - 1), type: "triggered_by"),
            status: statusCode >= 400
                ? OTLPStatus(message: "HTTP \(statusCode) from \(url)", code: .error) : OTLPStatus(code: .ok))
    }

    /// The name, kind, URL and method of the span at `position` of a page load.
    private static func request(
        index: Int, position: Int, pageURL: String
    ) -> (name: String, kind: OTLPSpan.Kind, url: String, method: String) {
        switch position {
        case 0:
            return ("documentLoad", .internal, pageURL, "GET")
        case 1:
            return ("documentFetch", .client, pageURL, "GET")
        case 2, 3, 4:
            return ("resourceFetch", .client, "https://cdn.shop.example.com/assets/\(assets[index % assets.count])", "GET")
        default:
            let (method, path) = apiCalls[index % apiCalls.count]
            return ("HTTP \(method)", .client, "https://api.shop.example.com/v2\(path)\(index % 97)", method)
        }
    }

    /// The trace of page load `pageLoad` (-1 for the page load before the batch).
    private static func traceID(_ pageLoad: Int) -> OTLPTraceID {
        let seed = UInt64(bitPattern: Int64(pageLoad + 2))
        return OTLPTraceID(high: seed &* 0x9E37_79B9_7F4A_7C15, low: seed &* 0xBF58_476D_1CE4_E5B9)
    }

    /// The id of the span at `index` (negative for spans before the batch).
    private static func spanID(_ index: Int) -> OTLPSpanID {
        OTLPSpanID(UInt64(bitPattern: Int64(index + spansPerPageLoad + 1)) &* 0x94D0_49BB_1331_11EB)
    }

    /// Faro's session id of session `session`: ten letters and digits.
    private static func sessionID(_ session: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var bits = UInt64(session + 1) &* 0xD6E8_FEB8_6659_FD93
        var id = ""
        for _ in 0..<10 {
            id.append(alphabet[Int(bits % UInt64(alphabet.count))])
            bits /= UInt64(alphabet.count)
        }
        return id
    }

    /// The pages that page loads open.
    private static let pages = [
        "/", "/products/espresso-machines", "/products/espresso-machines/barista-pro-870", "/cart",
        "/checkout/shipping", "/search?q=grinder&sort=price-asc", "/account/orders",
    ]
    /// The static assets a page fetches.
    private static let assets = [
        "app.3f9c2b7e.js", "vendor.81d0a4c2.js", "styles.5be21f90.css", "fonts/inter-var.woff2",
        "img/hero-1280w.avif",
    ]
    /// The API calls a page makes, with the start of their path; the call's index ends it.
    private static let apiCalls = [
        ("GET", "/products?category=espresso&page="), ("GET", "/cart/items/"), ("POST", "/cart/items/"),
        ("GET", "/recommendations?for=session&limit="), ("POST", "/events/batch/"), ("PUT", "/cart/items/"),
    ]
    /// The status codes of the answers, in turn.
    private static let statusCodes: [Int64] = [200, 200, 304, 200, 201, 200, 404, 200, 200, 503, 200]
    /// The resource-timing marks of the events, in turn.
    private static let marks = ["fetchStart", "domainLookupEnd", "connectEnd", "requestStart", "responseStart", "responseEnd"]
}
