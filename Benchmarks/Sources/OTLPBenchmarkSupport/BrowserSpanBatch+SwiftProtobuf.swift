public import OTLPSwiftProtobufPeer
import Foundation
import SwiftProtobuf
import OTLPCodec

/// swift-protobuf's `ExportTraceServiceRequest`.
public typealias PeerExportRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
/// swift-protobuf's `Span`.
typealias PeerSpan = Opentelemetry_Proto_Trace_V1_Span
/// swift-protobuf's `KeyValue`.
typealias PeerKeyValue = Opentelemetry_Proto_Common_V1_KeyValue

extension BrowserSpanBatch {
    /// The batch as swift-protobuf's messages, which `serializedBytes()` encodes.
    public var exportRequest: PeerExportRequest {
        PeerExportRequest.with { request in
            request.resourceSpans = [
                .with { resourceSpans in
                    resourceSpans.resource = .with { resource in
                        resource.attributes = resourceAttributes.map { PeerKeyValue($0.key, string: $0.value) }
                    }
                    resourceSpans.scopeSpans = [
                        .with { scopeSpans in
                            scopeSpans.scope = .with { scope in
                                scope.name = scopeName
                                scope.version = scopeVersion
                            }
                            scopeSpans.spans = spans.map(\.peerSpan)
                        }
                    ]
                }
            ]
        }
    }
}

extension BrowserSpan {
    /// The span as swift-protobuf's message.
    var peerSpan: PeerSpan {
        PeerSpan.with { span in
            span.traceID = Data(traceID.bytes)
            span.spanID = Data(spanID.bytes)
            if let parentSpanID { span.parentSpanID = Data(parentSpanID.bytes) }
            span.flags = flags
            span.name = name
            span.kind = PeerSpan.SpanKind(rawValue: Int(kind.rawValue)) ?? .unspecified
            span.startTimeUnixNano = startTimeUnixNano
            span.endTimeUnixNano = endTimeUnixNano
            span.attributes = [
                PeerKeyValue(BrowserAttributeKey.url, string: url),
                PeerKeyValue(BrowserAttributeKey.method, string: method),
                PeerKeyValue(BrowserAttributeKey.sessionID, string: sessionID),
                PeerKeyValue(BrowserAttributeKey.pageURL, string: pageURL),
                PeerKeyValue.with {
                    $0.key = BrowserAttributeKey.statusCode
                    $0.value.intValue = statusCode
                },
                PeerKeyValue.with {
                    $0.key = BrowserAttributeKey.responseContentLength
                    $0.value.intValue = responseContentLength
                },
                PeerKeyValue.with {
                    $0.key = BrowserAttributeKey.timeToFirstByte
                    $0.value.doubleValue = timeToFirstByteMilliseconds
                },
                PeerKeyValue.with {
                    $0.key = BrowserAttributeKey.fromCache
                    $0.value.boolValue = fromCache
                },
            ]
            span.events = [
                .with { peerEvent in
                    peerEvent.timeUnixNano = event.timeUnixNano
                    peerEvent.name = event.name
                    peerEvent.attributes = [
                        .with {
                            $0.key = BrowserAttributeKey.eventOffset
                            $0.value.intValue = event.offsetMilliseconds
                        }
                    ]
                }
            ]
            span.links = [
                .with { peerLink in
                    peerLink.traceID = Data(link.traceID.bytes)
                    peerLink.spanID = Data(link.spanID.bytes)
                    peerLink.attributes = [PeerKeyValue(BrowserAttributeKey.linkType, string: link.type)]
                }
            ]
            span.status = .with { peerStatus in
                peerStatus.message = status.message
                peerStatus.code = .init(rawValue: Int(status.code.rawValue)) ?? .unset
            }
        }
    }
}

extension PeerKeyValue {
    /// An attribute with a string value.
    init(_ key: String, string value: String) {
        self.init()
        self.key = key
        self.value.stringValue = value
    }
}
