/// A problem in a configuration: where it is (the file's line and column, or the environment
/// variable or flag) and what is wrong.
struct ConfigurationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where: `FILE:LINE:COLUMN`, `environment VARIABLE` or `--flag`.
    var location: String
    /// What is wrong.
    var message: String
    /// The line and column in the file (1-based; 0 when not in a file), for ordering.
    var line = 0
    var column = 0

    /// `location: message`.
    var description: String { "\(location): \(message)" }
}

/// Every problem found in a configuration, reported together.
struct ConfigurationIssues: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found.
    var issues: [ConfigurationIssue]

    /// One problem a line.
    var description: String { issues.map(\.description).joined(separator: "\n") }
}
