/// Gives a page URL its `route` label: the first of an ordered list of patterns that matches
/// the URL's path, `other` when none does, `unknown` when there is no URL.
///
/// ```swift
/// let routes = PageRouteMatcher(["/products/:id", "/docs/*"])
/// routes.route(forPageURL: "https://shop.example.com/products/42?ref=mail")  // "/products/:id"
/// routes.route(forPageURL: "/cart")                                          // "other"
/// routes.route(forPageURL: "")                                               // "unknown"
/// ```
public struct PageRouteMatcher: Sendable, Hashable {
    /// The label of pages that no pattern matches: `other`.
    public static let otherRoute = "other"
    /// The label of payloads without a page URL: `unknown`.
    public static let unknownRoute = "unknown"

    /// Where a URL's route comes from: a pattern's index, or one of the two fixed labels.
    enum Route: Hashable, Sendable {
        /// The pattern at this index matched.
        case pattern(Int)
        /// No pattern matched.
        case other
        /// There was no page URL.
        case unknown
    }

    /// The patterns, in the order they are tried.
    public let patterns: [PageRoutePattern]

    /// Creates a matcher that tries `patterns` in order.
    public init(_ patterns: [PageRoutePattern]) {
        self.patterns = patterns
    }

    /// The route label of the page at `url`.
    public func route(forPageURL url: String) -> String {
        label(of: match(pageURL: url))
    }

    /// The label of `route`.
    func label(of route: Route) -> String {
        switch route {
        case .pattern(let index): patterns[index].pattern
        case .other: PageRouteMatcher.otherRoute
        case .unknown: PageRouteMatcher.unknownRoute
        }
    }

    /// The route of the page at `url`; allocates nothing for a native string.
    func match(pageURL url: String) -> Route {
        if url.isEmpty { return .unknown }
        if let route = url.utf8.withContiguousStorageIfAvailable({ match(pageURL: $0) }) { return route }
        var url = url
        return url.withUTF8 { match(pageURL: $0) }
    }

    /// The route of the page whose URL has these bytes.
    func match(pageURL url: UnsafeBufferPointer<UInt8>) -> Route {
        let path = UnsafeBufferPointer(rebasing: url[PageURLPath.range(in: url)])
        for index in patterns.indices where patterns[index].matches(path: path) {
            return .pattern(index)
        }
        return .other
    }
}
