import ConfigurationReading
import FaroCollector
import Foundation

/// Reads the service's configuration from its three sources, in order of precedence: the file,
/// then the environment, then the command line; then checks the whole as the collector will
/// use it. Every problem is reported, with where it is.
struct ConfigurationLoader: Sendable {
    /// The configuration file, if any.
    let file: String?
    /// The settings given on the command line, by setting, in the order given.
    let flags: [(ConfigurationSetting, String)]
    /// The environment.
    let environment: [String: String]

    /// The configuration, or every problem in it.
    func load() throws(ConfigurationIssues) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationIssues(issues: [ConfigurationIssue(location: file, message: "cannot read: \(error.localizedDescription)")])
            }
            try ConfigurationFile.read(text, name: file, into: &configuration)
        }
        var issues: [ConfigurationIssue] = []
        for setting in ConfigurationSetting.allCases {
            guard let value = environment[setting.environmentVariable] else { continue }
            do {
                try setting.apply(value, from: "environment \(setting.environmentVariable)", to: &configuration)
            } catch {
                issues.append(error)
            }
        }
        for (setting, value) in flags {
            do {
                try setting.apply(value, from: "--" + setting.rawValue.replacingOccurrences(of: "_", with: "-"), to: &configuration)
            } catch {
                issues.append(error)
            }
        }
        if issues.isEmpty {
            issues += Self.check(configuration).map { ConfigurationIssue(location: file ?? "configuration", message: $0) }
        }
        guard issues.isEmpty else { throw ConfigurationIssues(issues: issues) }
        return configuration
    }

    /// What the collector itself refuses in `configuration`.
    static func check(_ configuration: ServiceConfiguration) -> [String] {
        var problems: [String] = []
        do {
            _ = try CollectorIntake(configuration: configuration.collector)
        } catch {
            problems.append(error.description)
        }
        do {
            _ = try WebVitalsHistograms(configuration: configuration.webVitals)
        } catch {
            problems.append("web_vitals: \(error)")
        }
        return problems
    }
}
