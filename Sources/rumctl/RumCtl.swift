import ArgumentParser
import FaroModel
import Foundation

/// `rumctl`: command-line tools over the swift-rum libraries.
@main
struct RumCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rumctl",
        abstract: "Inspect Faro Web SDK payloads with the swift-rum libraries.",
        subcommands: [Lines.self, Validate.self]
    )
}

/// Reads a file, or standard input for `-`.
func readInput(_ path: String) throws -> ContiguousArray<UInt8> {
    if path == "-" {
        return ContiguousArray(FileHandle.standardInput.readDataToEndOfFile())
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path)")
    }
    return ContiguousArray(data)
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
