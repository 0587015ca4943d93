package import Yams

/// Reads the values of a YAML (or JSON) configuration document and collects every problem with
/// its line and column, so that a file's readers go on after a bad value and report all of them
/// at once. The services' file readers (`faro-collector`'s configuration, `rum-gateway`'s
/// tenants) are written over it.
///
/// A YAML null (`~`, `null`, or nothing after the colon) is never a value: each reader refuses it
/// at its place (`expected text, not null`), rather than taking the text `~` or `null` (an API
/// key anyone could guess) or falling back to a default the author did not write.
package struct ConfigurationNodeReader {
    /// The file's name, for messages.
    package let name: String
    /// The problems reported so far.
    package private(set) var issues: [ConfigurationIssue] = []

    /// A reader for the file `name`.
    package init(name: String) {
        self.name = name
    }

    /// The document in `text` (nil when it is empty), or its syntax error.
    package func compose(_ text: String) throws(ConfigurationIssues) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationIssues(issues: [issue(for: error)])
        } catch {
            throw ConfigurationIssues(issues: [ConfigurationIssue(location: name, message: "\(error)")])
        }
    }

    /// Throws the problems reported, in the order of their place in the file, if there are any.
    package func finish() throws(ConfigurationIssues) {
        guard !issues.isEmpty else { return }
        throw ConfigurationIssues(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    // MARK: Values

    /// The members of a mapping, reporting keys that are not `allowed` and keys given twice.
    package mutating func members(of node: Node, allowed: [String]) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            reportMismatch(node, "expected a block of \(allowed.joined(separator: ", "))")
            return []
        }
        var seen = Set<String>()
        var members: [(String, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                report(key, "a key must be text")
                continue
            }
            guard allowed.contains(name) else {
                report(key, "unknown attribute \(name); expected one of \(allowed.joined(separator: ", "))")
                continue
            }
            guard seen.insert(name).inserted else {
                report(key, "\(name) is given twice")
                continue
            }
            members.append((name, value))
        }
        return members
    }

    /// A scalar's text.
    package mutating func string(_ node: Node) -> String? {
        text(node, expected: "text")
    }

    /// A scalar's text, or nil after reporting that `expected` was expected.
    private mutating func text(_ node: Node, expected: String) -> String? {
        guard case .scalar(let scalar) = node, !node.isNull else {
            reportMismatch(node, "expected \(expected)")
            return nil
        }
        return scalar.string
    }

    /// A whole number within `range`.
    package mutating func integer(_ node: Node, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, !node.isNull, let value = Int(scalar.string) else {
            reportMismatch(node, "expected a whole number")
            return nil
        }
        guard range.contains(value) else {
            report(node, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    /// A finite number.
    package mutating func number(_ node: Node) -> Double? {
        guard case .scalar(let scalar) = node, !node.isNull, let value = Double(scalar.string), value.isFinite else {
            reportMismatch(node, "expected a number")
            return nil
        }
        return value
    }

    /// A number from 0 to 1.
    package mutating func ratio(_ node: Node) -> Double? {
        guard let value = number(node) else { return nil }
        guard (0...1).contains(value) else {
            report(node, "a ratio must be between 0 and 1, not \(value)")
            return nil
        }
        return value
    }

    /// `true` or `false`.
    package mutating func boolean(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node, !node.isNull, let value = Bool(scalar.string) else {
            reportMismatch(node, "expected true or false")
            return nil
        }
        return value
    }

    /// A size in bytes, as `ConfigurationUnits.bytes` reads it.
    package mutating func bytes(_ node: Node) -> Int? {
        let expected = "a size such as 5MiB, 512KiB or a number of bytes"
        guard let text = self.text(node, expected: expected) else { return nil }
        guard let value = ConfigurationUnits.bytes(text) else {
            report(node, "expected \(expected), not \(text)")
            return nil
        }
        return value
    }

    /// A Go duration up to `ConfigurationUnits.maximumDuration`, at least a nanosecond when
    /// `positive`.
    package mutating func duration(_ node: Node, positive: Bool) -> Duration? {
        let expected = "a duration such as 30s, 500ms or 1m"
        guard let text = self.text(node, expected: expected) else { return nil }
        guard let seconds = ConfigurationUnits.seconds(text) else {
            report(node, "expected \(expected), not \(text)")
            return nil
        }
        guard let value = ConfigurationUnits.duration(seconds: seconds) else {
            report(node, "\(text) is longer than \(ConfigurationUnits.maximumDurationText), the longest duration taken")
            return nil
        }
        guard !positive || value > .zero else {
            report(node, seconds > 0 ? "\(text) is less than 1ns" : "expected \(expected), not \(text)")
            return nil
        }
        return value
    }

    /// An `http://` or `https://` URL.
    package mutating func httpURL(_ node: Node) -> String? {
        let expected = "an http:// or https:// URL"
        guard let text = self.text(node, expected: expected) else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
            report(node, "expected \(expected), not \(text)")
            return nil
        }
        return text
    }

    /// A list of scalars' texts; nil when any item is not text (each such item is reported).
    package mutating func stringList(_ node: Node) -> [String]? {
        guard case .sequence(let sequence) = node else {
            reportMismatch(node, "expected a list of text")
            return nil
        }
        var values: [String] = []
        var complete = true
        for item in sequence {
            if let text = string(item) { values.append(text) } else { complete = false }
        }
        return complete ? values : nil
    }

    /// A mapping of names to texts, in the file's order, each with its key's node (for problems
    /// with a name); nil when any entry is not text. (The parser refuses a name given twice.)
    package mutating func namedTexts(_ node: Node) -> [(key: Node, name: String, value: String)]? {
        guard case .mapping(let mapping) = node else {
            reportMismatch(node, "expected a block of names and text values")
            return nil
        }
        var entries: [(key: Node, name: String, value: String)] = []
        var complete = true
        for (key, value) in mapping {
            guard let name = string(key), let text = string(value) else {
                complete = false
                continue
            }
            entries.append((key, name, text))
        }
        return complete ? entries : nil
    }

    // MARK: Reporting

    /// Reports `message`, which says what `node` should have been, at its line and column, and
    /// says so when `node` is a YAML null: `rate_limiting must be a block of …, not null`.
    package mutating func reportMismatch(_ node: Node, _ message: String) {
        report(node, node.isNull ? "\(message), not null" : message)
    }

    /// Reports `message` at `node`'s line and column.
    package mutating func report(_ node: Node, _ message: String) {
        let location = node.mark.map { "\(name):\($0.line):\($0.column)" } ?? name
        issues.append(ConfigurationIssue(location: location, message: message, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0))
    }

    private func issue(for error: YamlError) -> ConfigurationIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationIssue(location: "\(name):\(mark.line):\(mark.column)", message: problem, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // At the first of the keys, as `members(of:allowed:)` words it; Yams's own description
            // quotes the whole file, secrets included.
            let mark = context.mark
            return ConfigurationIssue(
                location: "\(name):\(mark.line):\(mark.column)", message: "\(duplicates.joined(separator: ", ")) is given twice",
                line: mark.line, column: mark.column)
        default:
            return ConfigurationIssue(location: name, message: "\(error)")
        }
    }
}
