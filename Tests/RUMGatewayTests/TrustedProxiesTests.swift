import TestSupport
import Testing

@testable import RUMGateway

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct IPAddressTests {
    @Test("addresses read as RFC 4291 and dotted decimal write back in RFC 5952's form")
    func roundTrips() throws {
        let cases: [(String, String)] = [
            ("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("9.10.99.100", "9.10.99.100"), ("100.9.0.10", "100.9.0.10"), ("10.200.1.99", "10.200.1.99"),
            ("::", "::"), ("::1", "::1"), ("2001:DB8::1", "2001:db8::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("fe80::", "fe80::"),
            ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("1::2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("::ffff:192.0.2.1", "192.0.2.1"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ]
        for (text, expected) in cases {
            #expect(try IPAddress(parsing: text).description == expected, "\(text)")
        }
        #expect(try IPAddress(parsing: "192.0.2.1") == IPAddress(parsing: "::ffff:c000:201"))
        #expect(try IPAddress(parsing: "10.1.2.3").isIPv4)
        #expect(try !IPAddress(parsing: "::1").isIPv4)
    }

    /// The C library's `inet_pton`, the reference: the 16 bytes of the address (IPv4 mapped), or nil.
    static func systemParse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + withUnsafeBytes(of: v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return withUnsafeBytes(of: v6) { Array($0) }
    }

    @Test("random texts over the addresses' alphabet parse exactly when inet_pton parses them, to the same bytes")
    func agreesWithInetPton() {
        var generator = SplitMix64(state: 4291)
        let alphabet = Array("0123456789abcdefABCDEF:.")
        let seeds = ["::", "1.2.3.4", "2001:db8::1", "::ffff:10.0.0.1", "fe80::1:2", "1:2:3:4:5:6:7:8", "255.255.255.255"]
        var agreed = 0
        for round in 0..<20_000 {
            var text: [Character]
            if round % 2 == 0 {
                text = (0..<Int.random(in: 1...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            } else {
                // A valid address with one character changed, inserted or removed.
                text = Array(seeds.randomElement(using: &generator)!)
                let position = Int.random(in: 0..<text.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[position] = alphabet.randomElement(using: &generator)!
                case 1: text.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: text.remove(at: position)
                }
            }
            let string = String(text)
            let ours = try? IPAddress(parsing: string)
            let reference = Self.systemParse(string)
            let oursBytes = ours.map { address in
                (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? address.high : address.low) >> UInt64(56 - 8 * ($0 % 8))) }
            }
            #expect(oursBytes == reference, "\(string)")
            if oursBytes == reference, reference != nil { agreed += 1 }
        }
        #expect(agreed > 1000, "too few valid addresses generated: \(agreed)")
    }

    @Test("texts that are not addresses are refused with the text quoted")
    func refusals() {
        let bad = [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.-4", "a.b.c.d",
            ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", "1:2:3:4:5:6:7:8::", ":1::",
            "1::2:", "fe80::1%eth0", "[::1]", "::1.2.3", "1.2.3.4::", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", " 1.2.3.4",
        ]
        for text in bad {
            #expect(throws: IPAddressError.invalidAddress(text), "\(text)") { try IPAddress(parsing: text) }
        }
    }
}

@Suite struct IPAddressRangeTests {
    @Test("blocks contain the addresses of their prefix, IPv4 and IPv6 apart")
    func containment() throws {
        let private10 = try IPAddressRange(parsing: "10.0.0.0/8")
        #expect(private10.contains(try IPAddress(parsing: "10.255.0.1")))
        #expect(!private10.contains(try IPAddress(parsing: "11.0.0.1")))
        #expect(!private10.contains(try IPAddress(parsing: "::a00:1")), "an IPv6 address with the same low bits is not in an IPv4 block")
        let documentation = try IPAddressRange(parsing: "2001:db8::/32")
        #expect(documentation.contains(try IPAddress(parsing: "2001:db8:ffff::1")))
        #expect(!documentation.contains(try IPAddress(parsing: "2001:db9::1")))
        let everything = try IPAddressRange(parsing: "0.0.0.0/0")
        #expect(everything.contains(try IPAddress(parsing: "203.0.113.9")))
        #expect(!everything.contains(try IPAddress(parsing: "::1")), "0.0.0.0/0 is every IPv4 address only")
        #expect(try IPAddressRange(parsing: "::/0").contains(IPAddress(parsing: "1.2.3.4")))
        let one = try IPAddressRange(parsing: "192.0.2.7")
        #expect(one.contains(try IPAddress(parsing: "192.0.2.7")))
        #expect(!one.contains(try IPAddress(parsing: "192.0.2.8")))
        #expect(try IPAddressRange(parsing: "10.1.2.3/8").description == "10.0.0.0/8", "host bits are dropped, as Go does")
        #expect(try IPAddressRange(parsing: "2001:db8::1/64").description == "2001:db8::/64")
        #expect(try IPAddressRange(parsing: "10.0.0.0/31").contains(IPAddress(parsing: "10.0.0.1")))
        #expect(try !IPAddressRange(parsing: "10.0.0.0/32").contains(IPAddress(parsing: "10.0.0.1")))
        #expect(try IPAddressRange(parsing: "::/127").contains(IPAddress(parsing: "::1")))
        #expect(try IPAddressRange(parsing: "8000::/1").contains(IPAddress(parsing: "ffff::")))
        #expect(try !IPAddressRange(parsing: "8000::/1").contains(IPAddress(parsing: "7fff::")))
    }

    @Test("an address written as IPv6 takes a length of 128 bits, IPv4-mapped too; one written as IPv4 a length of 32")
    func mappedRanges() throws {
        let allIPv4 = try IPAddressRange(parsing: "::ffff:0:0/96")
        #expect(try allIPv4.contains(IPAddress(parsing: "203.0.113.7")) && allIPv4.contains(IPAddress(parsing: "0.0.0.0")))
        #expect(try !allIPv4.contains(IPAddress(parsing: "2001:db8::1")))
        let private10 = try IPAddressRange(parsing: "::ffff:10.0.0.0/104")
        #expect(private10 == (try IPAddressRange(parsing: "10.0.0.0/8")))
        #expect(try private10.contains(IPAddress(parsing: "10.9.8.7")) && !private10.contains(IPAddress(parsing: "11.0.0.1")))
        // Eight bits of IPv6: every address whose first byte is 0, IPv4-mapped ones and more.
        let short = try IPAddressRange(parsing: "::ffff:10.0.0.0/8")
        #expect(short.prefixLength == 8 && short.description == "::/8")
        #expect(try short.contains(IPAddress(parsing: "11.0.0.1")) && short.contains(IPAddress(parsing: "::1")))
        #expect(try !short.contains(IPAddress(parsing: "2001:db8::1")))
        #expect(throws: IPAddressError.invalidPrefixLength("::ffff:10.0.0.0/129")) { try IPAddressRange(parsing: "::ffff:10.0.0.0/129") }
        #expect(throws: IPAddressError.invalidPrefixLength("10.0.0.0/104")) { try IPAddressRange(parsing: "10.0.0.0/104") }
    }

    @Test("prefix lengths out of range or not numbers are refused")
    func refusals() {
        for text in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8a", "::/129", "::/ 8", "10.0.0.0/0008"] {
            #expect(throws: IPAddressError.invalidPrefixLength(text), "\(text)") { try IPAddressRange(parsing: text) }
        }
        #expect(throws: IPAddressError.invalidAddress("10.0.0/8")) { try IPAddressRange(parsing: "10.0.0/8") }
    }
}

@Suite struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies(parsing: ["10.0.0.0/8", "::1"])

    static func address(_ text: String) -> IPAddress { try! IPAddress(parsing: text) }

    @Test("an untrusted peer is the client whatever its X-Forwarded-For says")
    func untrustedPeer() {
        let peer = Self.address("203.0.113.5")
        #expect(Self.proxies.clientAddress(peer: peer, forwardedFor: ["198.51.100.1"]) == peer)
        #expect(Self.proxies.forwardedFor(peer: peer, incoming: ["198.51.100.1, 10.0.0.1"]) == "203.0.113.5")
    }

    @Test("from a trusted peer the rightmost untrusted entry is the client, past trusted proxies")
    func trustedChain() {
        let peer = Self.address("10.0.0.2")
        let proxies = Self.proxies
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["198.51.100.1, 203.0.113.7, 10.0.0.9"]) == Self.address("203.0.113.7"))
        // Several fields are one list, in order.
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["198.51.100.1", "203.0.113.7 ,10.1.1.1"]) == Self.address("203.0.113.7"))
        // All trusted: the leftmost.
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["10.9.9.9, 10.0.0.9"]) == Self.address("10.9.9.9"))
        // No header: the peer.
        #expect(proxies.clientAddress(peer: peer, forwardedFor: [String]()) == peer)
        // Ports and brackets.
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["203.0.113.7:5555"]) == Self.address("203.0.113.7"))
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["[2001:db8::7]:443, [::1]"]) == Self.address("2001:db8::7"))
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["\t2001:db8::8 "]) == Self.address("2001:db8::8"))
    }

    @Test("an entry that is not an address stops the walk at the last address read")
    func garbageStopsTheWalk() {
        let peer = Self.address("10.0.0.2")
        let proxies = Self.proxies
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["203.0.113.7, unknown"]) == peer)
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["198.51.100.1, nonsense, 10.0.0.3"]) == Self.address("10.0.0.3"))
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["198.51.100.1,,10.0.0.3"]) == Self.address("10.0.0.3"))
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["1.2.3.4:99999"]) == peer)
        #expect(proxies.clientAddress(peer: peer, forwardedFor: ["[::1"]) == peer)
    }

    @Test("upstream gets the trusted chain with the peer appended, or the untrusted peer alone")
    func outgoingHeader() {
        let proxies = Self.proxies
        #expect(proxies.forwardedFor(peer: Self.address("10.0.0.2"), incoming: ["198.51.100.1", " ", "203.0.113.7"])
            == "198.51.100.1, 203.0.113.7, 10.0.0.2")
        #expect(proxies.forwardedFor(peer: Self.address("::1"), incoming: [String]()) == "::1")
        #expect(TrustedProxies().forwardedFor(peer: Self.address("10.0.0.2"), incoming: ["1.2.3.4"]) == "10.0.0.2")
    }
}
