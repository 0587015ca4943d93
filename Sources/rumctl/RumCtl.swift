import ArgumentParser
import FaroModel
import Foundation

/// `rumctl`: command-line tools over the swift-rum libraries.
@main
struct RumCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rumctl",
        abstract: "Inspect Faro Web SDK payloads, check fleet-wide rate limits, push lines to Loki and add rum-gateway tenants with the swift-rum libraries.",
        subcommands: [Lines.self, Validate.self, RateLimitCheck.self, LokiPushCommand.self, TenantCommand.self]
    )
}

/// Reads a file, or standard input for `-`.
func readInput(_ path: String) throws(InputError) -> ContiguousArray<UInt8> {
    if path == "-" {
        return ContiguousArray(FileHandle.standardInput.readDataToEndOfFile())
    }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(path: path) }
    defer { try? handle.close() }
    return ContiguousArray(handle.readDataToEndOfFile())
}

/// A file that cannot be opened.
struct InputError: Error, CustomStringConvertible {
    /// The file.
    let path: String
    var description: String { "\(path): cannot open for reading" }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
