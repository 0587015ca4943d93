import FaroCollector
import Testing

@Suite struct ContentCodingTests {
    @Test(arguments: [
        (nil, ContentCoding.identity), ("", .identity), ("  ", .identity), ("identity", .identity), ("IDENTITY", .identity),
        ("gzip", .gzip), ("GZip", .gzip), (" gzip\t", .gzip), ("x-gzip", .gzip), ("X-GZIP", .gzip),
        ("deflate", .deflate), ("Deflate ", .deflate),
    ] as [(String?, ContentCoding)])
    func knownCodings(header: String?, expected: ContentCoding) throws {
        #expect(try ContentCoding(headerValue: header) == expected)
    }

    @Test(arguments: [
        "br", "zstd", "compress", "x-compress", "gzip, gzip", "gzip,deflate", "identity, gzip", "gzip;q=1", "g zip",
        "gzipx", "xgzip", "gzi", "deflate\u{0}", "gzip\n", "\u{212A}", "gzİp", "GZIP\u{301}", "*",
    ])
    func unknownCodingsAreRejected(header: String) {
        #expect(throws: UnsupportedContentCodingError(value: header)) { try ContentCoding(headerValue: header) }
    }
}
