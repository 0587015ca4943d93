public import Foundation

/// The peer that FaroModel is measured against: Foundation's `JSONDecoder` decoding Codable
/// types that mirror the FaroModel payload, field for field, as an application would write them.
///
/// It decodes everything `FaroPayloadDecoder` decodes: every item with its context or
/// attributes, stack frames, measurement values as `[String: Double]`, all metadata, trace
/// ids, and timestamps as `Date` (RFC 3339 with or without fractional seconds). `traces`,
/// which FaroModel only checks and keeps as bytes, becomes ``CodableTraces``: JSONDecoder has
/// checked the whole document before decoding starts, so that only checks that it is an object.
/// Members that Alloy ignores are skipped by both.
public struct CodablePeer {
    /// The decoder, configured once and reused, as a server would.
    private let decoder: JSONDecoder

    /// Creates the peer.
    public init() {
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = CodablePeer.parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp: \(text)")
            }
            return date
        }
    }

    /// Decodes a payload.
    public func decode(_ data: Data) throws -> CodablePayload {
        try decoder.decode(CodablePayload.self, from: data)
    }

    /// RFC 3339 with fractional seconds, the form `Date.toISOString()` sends.
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    /// RFC 3339 without fractional seconds.
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Parses an RFC 3339 timestamp with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }
}

/// A Faro payload.
public struct CodablePayload: Decodable, Sendable {
    /// Log messages.
    public var logs: [CodableLog]?
    /// Exceptions with stack traces.
    public var exceptions: [CodableException]?
    /// Measurements.
    public var measurements: [CodableMeasurement]?
    /// Events.
    public var events: [CodableEvent]?
    /// Shared metadata.
    public var meta: CodableMeta?
    /// OTLP/JSON resource spans.
    public var traces: CodableTraces?

    /// The number of logs, exceptions, measurements and events.
    public var itemCount: Int {
        (logs?.count ?? 0) + (exceptions?.count ?? 0) + (measurements?.count ?? 0) + (events?.count ?? 0)
    }
}

/// A log message.
public struct CodableLog: Decodable, Sendable {
    /// The message text.
    public var message: String?
    /// The level.
    public var level: String?
    /// Key-value context.
    public var context: [String: String]?
    /// When it was logged.
    public var timestamp: Date?
    /// The trace it belongs to.
    public var trace: CodableTraceContext?
}

/// An exception.
public struct CodableException: Decodable, Sendable {
    /// The error's type.
    public var type: String?
    /// The error's message.
    public var value: String?
    /// The stack trace.
    public var stacktrace: CodableStacktrace?
    /// When it happened.
    public var timestamp: Date?
    /// The trace it belongs to.
    public var trace: CodableTraceContext?
    /// Key-value context.
    public var context: [String: String]?
}

/// A stack trace.
public struct CodableStacktrace: Decodable, Sendable {
    /// The frames, innermost first.
    public var frames: [CodableStackFrame]?
}

/// One stack frame.
public struct CodableStackFrame: Decodable, Sendable {
    /// The function name.
    public var function: String?
    /// The module.
    public var module: String?
    /// The script's URL.
    public var filename: String?
    /// The line.
    public var lineno: Int?
    /// The column.
    public var colno: Int?
}

/// A measurement.
public struct CodableMeasurement: Decodable, Sendable {
    /// The kind of measurement.
    public var type: String?
    /// The values by name.
    public var values: [String: Double]?
    /// When they were measured.
    public var timestamp: Date?
    /// The trace it belongs to.
    public var trace: CodableTraceContext?
    /// Key-value context.
    public var context: [String: String]?
}

/// An event.
public struct CodableEvent: Decodable, Sendable {
    /// The event's name.
    public var name: String?
    /// The event's domain.
    public var domain: String?
    /// The event's attributes.
    public var attributes: [String: String]?
    /// When it happened.
    public var timestamp: Date?
    /// The trace it belongs to.
    public var trace: CodableTraceContext?
}

/// A trace context.
public struct CodableTraceContext: Decodable, Sendable {
    /// The trace id.
    public var traceID: String?
    /// The span id.
    public var spanID: String?

    /// The JSON member names.
    enum CodingKeys: String, CodingKey {
        case traceID = "trace_id"
        case spanID = "span_id"
    }
}

/// The metadata shared by a payload's items.
public struct CodableMeta: Decodable, Sendable {
    /// The SDK.
    public var sdk: CodableSDK?
    /// The application.
    public var app: CodableApp?
    /// The user.
    public var user: CodableUser?
    /// The session.
    public var session: CodableSession?
    /// The page.
    public var page: CodablePage?
    /// The browser.
    public var browser: CodableBrowser?
    /// The view.
    public var view: CodableView?
}

/// The SDK that sent a payload.
public struct CodableSDK: Decodable, Sendable {
    /// Its name.
    public var name: String?
    /// Its version.
    public var version: String?
    /// Its integrations.
    public var integrations: [CodableSDKIntegration]?
}

/// An SDK integration.
public struct CodableSDKIntegration: Decodable, Sendable {
    /// Its name.
    public var name: String?
    /// Its version.
    public var version: String?
}

/// The application.
public struct CodableApp: Decodable, Sendable {
    /// Its name.
    public var name: String?
    /// Its namespace.
    public var namespace: String?
    /// Its release.
    public var release: String?
    /// Its version.
    public var version: String?
    /// Its environment.
    public var environment: String?
}

/// The user.
public struct CodableUser: Decodable, Sendable {
    /// The email address.
    public var email: String?
    /// The id.
    public var id: String?
    /// The user name.
    public var username: String?
    /// Further attributes.
    public var attributes: [String: String]?
}

/// The session.
public struct CodableSession: Decodable, Sendable {
    /// The id.
    public var id: String?
    /// Session attributes.
    public var attributes: [String: String]?
}

/// The page.
public struct CodablePage: Decodable, Sendable {
    /// The id.
    public var id: String?
    /// The URL.
    public var url: String?
    /// Page attributes.
    public var attributes: [String: String]?
}

/// The browser.
public struct CodableBrowser: Decodable, Sendable {
    /// Its name.
    public var name: String?
    /// Its version.
    public var version: String?
    /// The operating system.
    public var os: String?
    /// Whether it runs on a mobile device.
    public var mobile: Bool?
    /// The `User-Agent`.
    public var userAgent: String?
    /// The language.
    public var language: String?
    /// The viewport's width, as sent.
    public var viewportWidth: String?
    /// The viewport's height, as sent.
    public var viewportHeight: String?
}

/// The application's view.
public struct CodableView: Decodable, Sendable {
    /// Its name.
    public var name: String?
}

/// The `traces` member: checked to be an object, its contents not kept (FaroModel keeps the
/// bytes without decoding them; JSONDecoder checked them while scanning the document).
public struct CodableTraces: Decodable, Sendable {
    /// Any member name.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Checks that the value is an object.
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyKey.self)
    }
}
