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

/// Reads a file, or standard input for `-`; a file that cannot be opened or read (a directory,
/// an I/O error) is an `InputError`, not a crash.
func readInput(_ path: String) throws(InputError) -> ContiguousArray<UInt8> {
    let handle: FileHandle
    if path == "-" {
        handle = FileHandle.standardInput
    } else {
        guard let opened = FileHandle(forReadingAtPath: path) else { throw InputError(path: path, reason: "cannot open for reading") }
        handle = opened
    }
    defer { if path != "-" { try? handle.close() } }
    do {
        return ContiguousArray(try handle.readToEnd() ?? Data())
    } catch {
        throw InputError(path: path, reason: "cannot read: \(systemReason(of: error as NSError))")
    }
}

/// The system's words for a failed read (`Is a directory`): those of the POSIX error under
/// Foundation's, else Foundation's own.
private func systemReason(of error: NSError) -> String {
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { return systemReason(of: underlying) }
    return error.localizedDescription
}

/// A file that cannot be opened or read.
struct InputError: Error, CustomStringConvertible {
    /// The file (`-`: standard input).
    let path: String
    /// Why.
    let reason: String
    var description: String { "\(path): \(reason)" }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
