import BenchmarkReporting

/// A deterministic Faro payload of about 1 MiB with 1,000 mixed items, as a busy page of a
/// web shop would send: 400 logs, 100 exceptions with 8 to 12 stack frames, 300 web-vitals
/// measurements with 2 to 5 values and context, and 200 events with attributes, plus the
/// metadata and traces of `payload_modern.json`.
///
/// The bytes are compact JSON written the way the browser's `JSON.stringify` writes them:
/// non-ASCII text as UTF-8, quotes, backslashes and control characters escaped. Some
/// messages carry such escapes and non-ASCII text (accents, CJK, emoji). The same seed
/// gives the same bytes on every run and machine.
public enum GeneratedPayload {
    /// How many logs the payload holds.
    static let logCount = 400
    /// How many exceptions the payload holds.
    static let exceptionCount = 100
    /// How many measurements the payload holds.
    static let measurementCount = 300
    /// How many events the payload holds.
    static let eventCount = 200
    /// How many logs, exceptions, measurements and events the payload holds.
    public static let itemCount = logCount + exceptionCount + measurementCount + eventCount
    /// The size the payload is meant to have, 1 MiB; it stays within 10% of it.
    public static let nominalSize = 1 << 20

    /// The payload's JSON bytes.
    public static func bytes() -> ContiguousArray<UInt8> {
        var generator = Generator(seed: 0x5EED_FA50)
        let bytes = generator.payload()
        let tolerance = nominalSize / 10
        precondition(
            abs(bytes.count - nominalSize) <= tolerance,
            "generated payload is \(bytes.count) bytes, not within 1 MiB ± 10%")
        return bytes
    }
}


/// Writes compact JSON into a byte buffer, escaping strings as `JSON.stringify` does.
struct JSONWriter {
    /// The bytes written so far.
    var bytes = ContiguousArray<UInt8>()
    /// Whether the next member or element is the first of its container.
    private var first = true

    /// Writes `{`, then the members that `body` writes, then `}`.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Writes `[`, then the elements that `body` writes, then `]`.
    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Writes a member's key; its value follows.
    mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    /// Writes a string value.
    mutating func string(_ value: String) {
        separate()
        writeString(value)
        first = false
    }

    /// Writes a number as JavaScript does: integral values without a fraction.
    mutating func number(_ value: Double) {
        separate()
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        first = false
    }

    /// Writes `true` or `false`.
    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        first = false
    }

    /// Writes `"name":"value"`.
    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes `"name":{...}` with string members from `pairs`, in order.
    mutating func stringMap(_ name: String, _ pairs: [(String, String)]) {
        key(name)
        object { writer in
            for (key, value) in pairs { writer.member(key, value) }
        }
    }

    /// Writes a comma unless the next value is the first of its container or a member's value.
    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes `value` quoted, escaping `"`, `\` and control characters.
    private mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Writes the generated payload from a seeded random source.
private struct Generator {
    /// The random source.
    var random: SplitMix64
    /// Milliseconds since the start of the session, advanced item by item.
    var clock = 0
    /// The trace and span ids of the page's recent traces; items pick from them.
    let traces: [(traceID: String, spanID: String)]

    /// Creates a generator.
    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        var ids: [(String, String)] = []
        for _ in 0..<40 { ids.append((random.hex(32), random.hex(16))) }
        traces = ids
    }

    /// The whole payload.
    mutating func payload() -> ContiguousArray<UInt8> {
        var json = JSONWriter()
        json.object { json in
            json.key("meta")
            Generator.meta(&json)
            json.key("logs")
            json.array { json in for _ in 0..<GeneratedPayload.logCount { log(&json) } }
            json.key("exceptions")
            json.array { json in for _ in 0..<GeneratedPayload.exceptionCount { exception(&json) } }
            json.key("measurements")
            json.array { json in for _ in 0..<GeneratedPayload.measurementCount { measurement(&json) } }
            json.key("events")
            json.array { json in for _ in 0..<GeneratedPayload.eventCount { event(&json) } }
            json.key("traces")
            traceData(&json)
        }
        return json.bytes
    }

    /// The next timestamp, RFC 3339 with milliseconds as `Date.toISOString()` writes it.
    mutating func timestamp() -> String {
        clock += random.int(in: 5...120)
        let start = 8 * 3_600_000 + 15 * 60_000  // 08:15:00.000
        let now = start + clock
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let (hour, minute) = (now / 3_600_000, now / 60_000 % 60)
        let (second, millisecond) = (now / 1000 % 60, now % 1000)
        return "2026-11-20T\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2)).\(padded(millisecond, 3))Z"
    }

    /// `"trace":{...}` for most items; about one in five was recorded outside a trace.
    mutating func trace(_ json: inout JSONWriter) {
        guard random.chance(80) else { return }
        let ids = random.pick(traces)
        json.key("trace")
        json.object { json in
            json.member("trace_id", ids.traceID)
            json.member("span_id", ids.spanID)
        }
    }

    /// A page URL with the query strings that marketing links carry.
    mutating func pageURL() -> String {
        let path =
            switch random.int(in: 0...4) {
            case 0: "/products/\(random.hex(6))"
            case 1: "/checkout/\(random.int(in: 1...3))"
            case 2: "/search"
            default: random.pick(["/", "/products", "/cart", "/account"])
            }
        let clickID = random.chance(50) ? "&gclid=\(random.hex(24))" : ""
        return "https://shop.example.com\(path)?utm_source=\(random.pick(["newsletter", "google", "instagram"]))"
            + "&utm_campaign=winter-sale-2026&ref=\(random.hex(16))\(clickID)"
    }

    /// The context that the shop attaches to logs and exceptions.
    mutating func appContext(_ json: inout JSONWriter, _ extra: [(String, String)] = []) {
        var context = [
            ("component", random.pick(Corpus.components)), ("route", random.pick(Corpus.routes)), ("url", pageURL()),
            ("requestId", "\(random.hex(8))-\(random.hex(4))-\(random.hex(4))-\(random.hex(4))-\(random.hex(12))"),
            ("build", "3.4.1+sha.\(random.hex(12))"), ("title", random.pick(Corpus.titles)),
            ("viewport", random.pick(["1280x720", "390x844", "1920x1080"])),
        ]
        if random.chance(50) { context.append(("locale", random.pick(Corpus.locales))) }
        if random.chance(30) { context.append(("experiment", "checkout-\(random.pick(["a", "b", "c"]))")) }
        if random.chance(60) { context.append(("referrer", pageURL())) }
        json.stringMap("context", context + extra)
    }

    /// A cart as the shop's code logs it with `JSON.stringify`: quotes become escapes in the payload.
    mutating func cartJSON() -> String {
        let items = (0..<random.int(in: 3...12)).map { _ in
            "{\"sku\":\"\(random.hex(8))\",\"name\":\"\(random.pick(Corpus.products))\",\"qty\":\(random.int(in: 1...4)),"
                + "\"price\":\(random.int(in: 1...300)).\(random.int(in: 10...99))}"
        }
        return "{\"items\":[\(items.joined(separator: ","))],\"currency\":\"\(random.pick(["EUR", "USD", "JPY"]))\"}"
    }

    /// One log message.
    mutating func log(_ json: inout JSONWriter) {
        let product = random.pick(Corpus.products)
        let message =
            switch random.int(in: 0...6) {
            case 0, 1: "cart updated: \(random.int(in: 1...9)) × \(product) \(cartJSON())"
            case 2: "GET \(pageURL()) -> \(random.pick(["200", "200", "304", "404"])) in \(random.int(in: 8...900)) ms"
            case 3: "render \(random.pick(Corpus.components)) took \(random.int(in: 1...60)) ms; props \(cartJSON())"
            case 4: "user said: \"\(random.pick(Corpus.feedback))\" on \(pageURL())"
            case 5: "state transition\n  from: \(random.pick(Corpus.routes))\n  to:\t\(random.pick(Corpus.routes))\n  cart: \(cartJSON())"
            default: "\(random.pick(Corpus.greetings)), loading recommendations for \(product) from \(pageURL())"
            }
        json.object { json in
            json.member("message", message)
            json.member("level", random.pick(["info", "info", "log", "debug", "warn", "error", "trace"]))
            appContext(&json)
            json.member("timestamp", timestamp())
            trace(&json)
        }
    }

    /// One exception with its stack trace.
    mutating func exception(_ json: inout JSONWriter) {
        let (type, value) = random.pick(Corpus.errors)
        json.object { json in
            json.member("type", type)
            json.member("value", value)
            json.key("stacktrace")
            json.object { json in
                json.key("frames")
                json.array { json in
                    for _ in 0..<random.int(in: 8...12) {
                        json.object { json in
                            json.member("function", random.pick(Corpus.functions))
                            if random.chance(30) { json.member("module", random.pick(["checkout", "cart", "vendor"])) }
                            json.member("filename", "https://shop.example.com/static/js/\(random.pick(Corpus.bundles)).chunk.js")
                            json.key("lineno")
                            json.number(Double(random.int(in: 1...4000)))
                            json.key("colno")
                            json.number(Double(random.int(in: 1...90000)))
                        }
                    }
                }
            }
            json.member("timestamp", timestamp())
            trace(&json)
            let componentStack = (0..<random.int(in: 4...8)).map { _ in
                "\n    at \(random.pick(Corpus.components)) (https://shop.example.com/static/js/\(random.pick(Corpus.bundles)).chunk.js:\(random.int(in: 1...4000)):\(random.int(in: 1...90000)))"
            }
            appContext(
                &json,
                [
                    ("mechanism", random.pick(["onerror", "onunhandledrejection", "react-error-boundary"])),
                    ("componentStack", componentStack.joined()),
                ])
        }
    }

    /// One web-vitals measurement with 2 to 5 values and the attribution context of the SDK.
    mutating func measurement(_ json: inout JSONWriter) {
        let names = ["cls", "fcp", "fid", "inp", "lcp", "ttfb"]
        var chosen = names
        for _ in 0..<names.count - random.int(in: 2...5) { chosen.remove(at: random.int(in: 0...chosen.count - 1)) }
        json.object { json in
            json.member("type", "web-vitals")
            json.key("values")
            json.object { json in
                for name in chosen {
                    json.key(name)
                    switch name {
                    case "cls": json.number(Double(random.int(in: 0...4000)) / 10_000)
                    case "fid", "inp": json.number(Double(random.int(in: 8...600)))
                    default: json.number(Double(random.int(in: 100...60_000)) * 0.1)  // tenths of ms, as browsers add them up
                    }
                }
            }
            json.stringMap(
                "context",
                [
                    ("rating", random.pick(["good", "good", "needs-improvement", "poor"])),
                    ("navigationType", random.pick(["navigate", "reload", "back-forward", "prerender"])),
                    ("id", "v4-\(random.int(in: 1_700_000_000_000...1_799_999_999_999))-\(random.int(in: 1_000_000_000...9_999_999_999))"),
                    ("loadState", random.pick(["loading", "dom-interactive", "dom-content-loaded", "complete"])),
                    ("element", random.pick(Corpus.elements)), ("largestShiftTarget", random.pick(Corpus.elements)),
                    ("url", "https://cdn.shop.example.com/images/\(random.hex(8))/hero@2x.webp?w=1280&q=80"),
                    ("pageUrl", pageURL()),
                    ("timeToFirstByte", String(Double(random.int(in: 100...9000)) * 0.1)),
                    ("resourceLoadDelay", String(Double(random.int(in: 0...9000)) * 0.1)),
                    ("resourceLoadDuration", String(Double(random.int(in: 0...9000)) * 0.1)),
                    ("elementRenderDelay", String(Double(random.int(in: 0...9000)) * 0.1)),
                ])
            json.member("timestamp", timestamp())
            trace(&json)
        }
    }

    /// One event: a fetch, a click, a route change or a custom shop event, with the page's
    /// title and URL that the shop adds to every event.
    mutating func event(_ json: inout JSONWriter) {
        let (name, domain, attributes): (String, String, [(String, String)])
        switch random.int(in: 0...3) {
        case 0:
            let endpoint = random.pick(["cart", "products?page=2&sort=price", "checkout/session", "search?q=caf%C3%A9"])
            (name, domain) = ("faro.tracing.fetch", "browser")
            attributes = [
                ("http.method", random.pick(["GET", "GET", "POST"])),
                ("http.url", "https://shop.example.com/api/v2/\(endpoint)"),
                ("http.host", "shop.example.com"), ("http.scheme", "https"),
                ("http.status_code", random.pick(["200", "200", "201", "404", "500"])),
                ("http.response_content_length", String(random.int(in: 100...90_000))),
                ("http.user_agent", Corpus.userAgent),
                ("duration_ns", String(random.int(in: 1_000_000...900_000_000))),
                ("http.request_id", "\(random.hex(8))-\(random.hex(4))-\(random.hex(4))-\(random.hex(4))-\(random.hex(12))"),
            ]
        case 1:
            (name, domain) = ("click", "browser")
            attributes = [
                ("element", random.pick(Corpus.elements)), ("id", "btn-\(random.hex(6))"), ("text", random.pick(Corpus.buttons)),
                ("position", "\(random.int(in: 0...1280)),\(random.int(in: 0...720))"),
            ]
        case 2:
            (name, domain) = ("route_change", "browser")
            attributes = [
                ("from", pageURL()), ("to", pageURL()), ("trigger", random.pick(["link", "popstate", "redirect"])),
                ("duration_ms", String(random.int(in: 5...3000))),
            ]
        default:
            (name, domain) = ("add_to_cart", "shop")
            attributes = [
                ("product", random.pick(Corpus.products)), ("sku", random.hex(8)), ("quantity", String(random.int(in: 1...5))),
                ("price", "\(random.int(in: 1...300)).\(random.int(in: 10...99))"), ("currency", random.pick(["EUR", "USD", "JPY"])),
                ("list", random.pick(["search results", "recommendations", "Zuletzt angesehen", "おすすめ"])),
            ]
        }
        let page = [("page.title", random.pick(Corpus.titles)), ("page.url", pageURL()), ("page.referrer", pageURL())]
        json.object { json in
            json.member("name", name)
            json.member("domain", domain)
            json.stringMap("attributes", attributes + page)
            json.member("timestamp", timestamp())
            trace(&json)
        }
    }

    /// The metadata of `payload_modern.json`, with the members Alloy ignores.
    static func meta(_ json: inout JSONWriter) {
        json.object { json in
            json.key("sdk")
            json.object { json in
                json.member("name", "@grafana/faro-web-sdk")
                json.member("version", "2.12.1")
                json.key("integrations")
                json.array { json in
                    for name in ["@grafana/faro-web-tracing", "@grafana/faro-web-sdk:instrumentation-web-vitals"] {
                        json.object { json in
                            json.member("name", name)
                            json.member("version", "2.12.1")
                        }
                    }
                }
            }
            json.key("app")
            json.object { json in
                json.member("name", "webshop")
                json.member("namespace", "shop")
                json.member("version", "3.4.1")
                json.member("environment", "production")
                json.member("bundleId", "ignored-by-alloy")
            }
            json.key("user")
            json.object { json in
                json.member("id", "u-7781")
                json.stringMap("attributes", [("plan", "pro")])
            }
            json.key("session")
            json.object { json in
                json.member("id", "Zq3N8pSx1k")
                json.stringMap("attributes", [("isSampled", "true"), ("previousSession", "9gQ2TbYbGe")])
            }
            json.key("page")
            json.object { json in
                json.member("id", "p-01")
                json.member("url", "https://shop.example.com/checkout/payment?step=2")
                json.stringMap("attributes", [("route", "/checkout/:step")])
            }
            json.key("browser")
            json.object { json in
                json.member("name", "Chrome")
                json.member("version", "141.0.0.0")
                json.member("os", "Linux x86_64")
                json.key("mobile")
                json.bool(false)
                json.member(
                    "userAgent",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36")
                json.member("language", "en-US")
                json.key("brands")
                json.array { json in
                    json.object { json in
                        json.member("brand", "Chromium")
                        json.member("version", "141")
                    }
                }
                json.member("viewportWidth", "1280")
                json.member("viewportHeight", "720")
            }
            json.key("view")
            json.object { json in json.member("name", "checkout") }
        }
    }

    /// OTLP/JSON resource spans for a few of the page's fetches.
    mutating func traceData(_ json: inout JSONWriter) {
        json.object { json in
            json.key("resourceSpans")
            json.array { json in
                json.object { json in
                    json.key("resource")
                    json.object { json in
                        json.key("attributes")
                        json.array { json in
                            for (key, value) in [("service.name", "webshop"), ("deployment.environment", "production")] {
                                json.object { json in
                                    json.member("key", key)
                                    json.key("value")
                                    json.object { json in json.member("stringValue", value) }
                                }
                            }
                        }
                    }
                    json.key("scopeSpans")
                    json.array { json in
                        json.object { json in
                            json.key("scope")
                            json.object { json in
                                json.member("name", "@opentelemetry/instrumentation-fetch")
                                json.member("version", "0.57.2")
                            }
                            json.key("spans")
                            json.array { json in
                                for ids in traces.prefix(8) {
                                    json.object { json in
                                        json.member("traceId", ids.traceID)
                                        json.member("spanId", random.hex(16))
                                        json.member("parentSpanId", ids.spanID)
                                        json.member("name", "HTTP GET")
                                        json.key("kind")
                                        json.number(3)
                                        json.member("startTimeUnixNano", "1763626530500000000")
                                        json.member("endTimeUnixNano", "1763626530548211000")
                                        json.key("attributes")
                                        json.array { json in
                                            json.object { json in
                                                json.member("key", "http.url")
                                                json.key("value")
                                                json.object { json in json.member("stringValue", "https://shop.example.com/api/cart") }
                                            }
                                        }
                                        json.key("status")
                                        json.object { json in
                                            json.key("code")
                                            json.number(1)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The words the generator draws from.
private enum Corpus {
    static let products = [
        "Espresso-Tasse", "café crème set", "Teekanne „Kyoto“", "抹茶 (matcha) 100g", "Kaffeemühle Ø 58mm",
        "crème brûlée torch", "🛒 gift card", "Smørrebrød board", "ручка", "Pão de queijo mix",
    ]
    static let components = [
        "AppRoot", "ProductGrid", "ProductCard", "CartDrawer", "CheckoutForm", "PaymentForm", "SearchBox", "Header",
    ]
    static let routes = ["/", "/products", "/products/:id", "/cart", "/checkout/:step", "/account", "/search"]
    static let locales = ["en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR"]
    static let feedback = [
        "Where's my \"order\"?", "très bien 👍", "画面が真っ白です", "C:\\Users\\me\\receipt.pdf didn't download",
        "the 'pay' button does nothing",
    ]
    static let titles = ["Warenkorb – Webshop", "Paiement sécurisé | Webshop", "商品一覧 | Webshop", "Checkout · Step 2 of 3"]
    static let greetings = ["Willkommen zurück", "Bienvenue", "ようこそ", "Welcome back", "Olá"]
    static let buttons = ["Add to cart", "In den Warenkorb", "Payer maintenant", "購入する", "Apply coupon"]
    static let errors: [(String, String)] = [
        ("TypeError", "Cannot read properties of undefined (reading 'total')"),
        ("TypeError", "Failed to fetch"),
        ("Error", "Request failed with status code 500: {\"error\":\"upstream timeout\"}"),
        ("RangeError", "Maximum call stack size exceeded"),
        ("SyntaxError", "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"),
        ("Error", "Zahlung fehlgeschlagen – Karte abgelehnt"),
    ]
    static let functions = [
        "computeTotal", "PaymentForm.onSubmit", "?", "dispatchAction", "scheduleUpdateOnFiber", "flushSyncCallbacks",
        "commitRootImpl", "performSyncWorkOnRoot", "renderWithHooks", "fetchJSON", "async*loadCart", "Array.map",
        "HTMLButtonElement.<anonymous>", "invokeGuardedCallbackDev",
    ]
    static let bundles = ["checkout.3f2a9c1e", "vendors~main.9c1e4b7a", "cart.77b0d2f1", "runtime.0d4f8a3c"]
    static let elements = [
        "main > section.hero > img.hero__image", "#checkout-form > div.payment > button.pay", "ul.product-grid > li:nth-child(3) > a",
        "header > nav > a.cart-link", "div.drawer > button.close",
    ]
    static let userAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"
}
