import Foundation

extension AllocationCounter {
    /// Runs a second copy of the running tool with malloc-interposer preloaded and `argument` (then
    /// `otherArguments`, which tell that copy what the first was told), which makes that copy count
    /// allocations and print them with ``printCounts(_:)``; returns the counts, or `nil` if the
    /// interposer library is not beside the tool.
    public static func countInChildProcess(argument: String, otherArguments: [String] = []) throws -> [String: Int]? {
        #if canImport(Darwin)
        let (library, variable) = ("libMallocInterposerSwift.dylib", "DYLD_INSERT_LIBRARIES")
        #else
        let (library, variable) = ("libMallocInterposerSwift.so", "LD_PRELOAD")
        #endif
        guard let executable = Bundle.main.executableURL else { return nil }
        let interposer = executable.deletingLastPathComponent().appending(path: library)
        guard FileManager.default.fileExists(atPath: interposer.path) else { return nil }
        let child = Process()
        child.executableURL = executable
        child.arguments = [argument] + otherArguments
        child.environment = ProcessInfo.processInfo.environment.merging([variable: interposer.path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw InputError("counting allocations failed with status \(child.terminationStatus)")
        }
        return try JSONDecoder().decode([String: Int].self, from: data)
    }

    /// Prints named allocation counts as JSON on standard output: the counting copy's side of
    /// ``countInChildProcess(argument:)``.
    public static func printCounts(_ counts: [String: Int]) throws {
        FileHandle.standardOutput.write(try JSONEncoder().encode(counts))
    }
}
