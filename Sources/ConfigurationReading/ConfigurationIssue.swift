/// A problem in a configuration: where it is (the file's line and column, or the environment
/// variable or flag) and what is wrong.
package struct ConfigurationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where: `FILE:LINE:COLUMN`, `environment VARIABLE` or `--flag`.
    package var location: String
    /// What is wrong.
    package var message: String
    /// The line and column in the file (1-based; 0 when not in a file), for ordering.
    package var line = 0
    package var column = 0

    /// A problem at `location`; `line` and `column` order problems in a file.
    package init(location: String, message: String, line: Int = 0, column: Int = 0) {
        self.location = location
        self.message = message
        self.line = line
        self.column = column
    }

    /// `location: message`.
    package var description: String { "\(location): \(message)" }
}

/// Every problem found in a configuration, reported together.
package struct ConfigurationIssues: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found.
    package var issues: [ConfigurationIssue]

    /// The problems `issues`.
    package init(issues: [ConfigurationIssue]) {
        self.issues = issues
    }

    /// One problem a line.
    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
