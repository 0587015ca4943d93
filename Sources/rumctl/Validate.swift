import ArgumentParser
import FaroModel

/// `rumctl validate`: checks payloads and reports every error precisely.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check Faro payload files as faro-collector does; print each error with its byte offset, JSON path and reason.",
        discussion: """
            A payload's traces are checked as OTLP/JSON too: faro-collector refuses a payload whose traces are not, as Alloy does. \
            Exits with status 1 if any file is invalid. Valid files are listed on standard output.
            """
    )

    @Option(help: "The largest payload accepted, in bytes.")
    var maxPayloadBytes = FaroDecodingLimits().maxPayloadBytes

    @Flag(help: "Replace ill-formed UTF-8 and lone surrogates with U+FFFD, as Alloy does, instead of rejecting them.")
    var replaceInvalidUTF8 = false

    @Argument(help: "Payload files; - reads standard input.")
    var files: [String]

    func validate() throws {
        guard maxPayloadBytes > 0 else { throw ValidationError("--max-payload-bytes must be positive") }
    }

    func run() throws {
        let decoder = FaroPayloadDecoder(
            limits: FaroDecodingLimits(maxPayloadBytes: maxPayloadBytes),
            invalidUTF8: replaceInvalidUTF8 ? .replace : .reject)
        var failed = false
        for path in files {
            do {
                let payload = try decodePayload(try readInput(path), with: decoder)
                print("\(path): ok, \(payload.itemCount) items\(payload.traces == nil ? "" : " and traces")")
            } catch let error as PayloadError {
                printError("\(path): offset \(error.offsetDescription): \(error.path): \(error.reason)")
                failed = true
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
