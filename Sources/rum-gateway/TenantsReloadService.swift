import Foundation
import Logging
import RUMGateway
import ServiceLifecycle
import UnixSignals

/// Reads the tenants file again on SIGHUP, and when it changes (its modification time or size,
/// checked every `pollInterval`), and applies it when it is valid: new connections and requests
/// see the new tenants, connections stay open and requests under way finish as admitted. A file
/// with problems is logged, every problem with its line, and the running tenants stay.
struct TenantsReloadService: Service {
    let path: String
    let application: GatewayApplication
    let pollInterval: Duration
    let logger: Logger

    func run() async {
        let first = Self.signature(of: path)
        await withDiscardingTaskGroup { group in
            group.addTask {
                let signals = await UnixSignalsSequence(trapping: .sighup)
                for await _ in signals.cancelOnGracefulShutdown() { reload(reason: "SIGHUP") }
            }
            group.addTask {
                var seen = first
                while !Task.isShuttingDownGracefully {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
                    } catch {
                        return
                    }
                    let now = Self.signature(of: path)
                    if now != seen {
                        seen = now
                        reload(reason: "file changed")
                    }
                }
            }
        }
    }

    /// Reads and applies the file; true when applied.
    @discardableResult
    func reload(reason: String) -> Bool {
        do {
            let directory = try TenantsFile.load(path)
            application.reload(directory)
            logger.info("tenants reloaded", metadata: ["tenants": "\(directory.tenants.count)", "reason": "\(reason)"])
            return true
        } catch {
            logger.error("tenants not reloaded", metadata: ["problems": "\(error)", "reason": "\(reason)"])
            return false
        }
    }

    /// The file's modification time and size, nil when it cannot be read.
    static func signature(of path: String) -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return ["\(attributes[.modificationDate] ?? "")", "\(attributes[.size] ?? "")"]
    }
}
