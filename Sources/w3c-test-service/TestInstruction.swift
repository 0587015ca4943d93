import Foundation
import NIOCore

/// One element of the JSON array that the harness sends to `/test`: post `arguments` (any JSON
/// value) to `url`.
struct TestInstruction: Sendable {
    /// Where to post.
    let url: String
    /// The body to post: the element's `arguments` written as JSON, `[]` when it has none or `null`.
    let arguments: ByteBuffer

    /// The instructions of a `/test` body, or why it is not an array of `{url, arguments}` objects
    /// with an `http` or `https` URL each.
    static func parse(_ body: ByteBuffer) throws(InvalidTestRequest) -> [TestInstruction] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: .fragmentsAllowed)
        } catch {
            throw InvalidTestRequest("the body is not JSON")
        }
        guard let elements = json as? [Any] else { throw InvalidTestRequest("the body is not a JSON array") }
        return try elements.enumerated().map { (index, element) throws(InvalidTestRequest) in
            guard let object = element as? [String: Any] else {
                throw InvalidTestRequest("element \(index) is not an object")
            }
            guard let url = object["url"] as? String else {
                throw InvalidTestRequest("element \(index) has no string url")
            }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased()),
                parsed.host != nil
            else { throw InvalidTestRequest("element \(index): url is not an http or https URL") }
            let arguments = object["arguments"].flatMap { $0 is NSNull ? nil : $0 } ?? [Any]()
            guard
                let data = try? JSONSerialization.data(
                    withJSONObject: arguments, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
            else { throw InvalidTestRequest("element \(index): arguments cannot be written as JSON") }
            return TestInstruction(url: url, arguments: ByteBuffer(bytes: data))
        }
    }
}

/// Why a `/test` body was refused, in one line for the 400 response.
struct InvalidTestRequest: Error, CustomStringConvertible {
    /// The reason.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
