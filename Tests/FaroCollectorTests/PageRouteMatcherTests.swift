import FaroCollector
import Testing

@Suite struct PageRouteMatcherTests {
    static let routes = PageRouteMatcher(["/", "/products/:id", "/products/:id/reviews", "/docs/*", "/about", "/users/:id/*"])

    @Test(arguments: [
        // scheme, host, port, query and fragment are cut
        ("https://shop.example.com/products/42?ref=mail#top", "/products/:id"),
        ("http://localhost:3000/products/42/reviews", "/products/:id/reviews"),
        ("https://shop.example.com/products/42/reviews/7", "other"),
        ("https://shop.example.com/products", "other"),
        ("https://shop.example.com/products/", "other"),
        // the root: an empty path, a lone slash, a query on the root
        ("https://shop.example.com", "/"),
        ("https://shop.example.com/", "/"),
        ("https://shop.example.com?x=1", "/"),
        ("https://shop.example.com#frag", "/"),
        // wildcard: zero or more segments
        ("https://example.com/docs", "/docs/*"),
        ("https://example.com/docs/", "/docs/*"),
        ("https://example.com/docs/getting-started/install", "/docs/*"),
        ("https://example.com/documents", "other"),
        ("https://example.com/users/7/settings/profile", "/users/:id/*"),
        ("https://example.com/users", "other"),
        // exact paths, trailing and doubled slashes ignored, case kept
        ("https://example.com/about", "/about"),
        ("https://example.com/about/", "/about"),
        ("https://example.com//about", "/about"),
        ("https://example.com/About", "other"),
        ("https://example.com/about-us", "other"),
        // relative URLs are paths
        ("/products/9", "/products/:id"),
        ("/products/9?tab=specs", "/products/:id"),
        ("products/9", "/products/:id"),
        ("//cdn.example.com/docs/x", "/docs/*"),
        // percent-escapes are not decoded
        ("https://example.com/%61bout", "other"),
        // no URL
        ("", "unknown"),
    ])
    func routeOfPageURL(url: String, route: String) {
        #expect(Self.routes.route(forPageURL: url) == route)
    }

    @Test func firstMatchWins() {
        let routes = PageRouteMatcher(["/docs/*", "/docs/api", "/:section/api"])
        #expect(routes.route(forPageURL: "/docs/api") == "/docs/*")
        #expect(routes.route(forPageURL: "/blog/api") == "/:section/api")
        #expect(PageRouteMatcher([]).route(forPageURL: "/anything") == "other")
    }

    @Test func patternsMatchPaths() {
        #expect(PageRoutePattern("/products/:id").matches(path: "/products/1"))
        #expect(!PageRoutePattern("/products/:id").matches(path: "/products"))
        #expect(PageRoutePattern("/*").matches(path: "/"))
        #expect(PageRoutePattern("/*").matches(path: "/a/b/c"))
        #expect(PageRoutePattern("/").matches(path: ""))
        #expect(!PageRoutePattern("/").matches(path: "/a"))
        #expect(PageRoutePattern("/a").isValid && !PageRoutePattern("a").isValid && !PageRoutePattern("/*/a").isValid)
        #expect(PageRoutePattern("/docs/*").description == "/docs/*")
    }
}
