#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import Logging
import RUMGateway
import ServiceLifecycle
import UnixSignals

/// Reads the tenants file again on SIGHUP, and when it changes (its `FileSignature`, checked every
/// `pollInterval`, so that a file replaced behind a symbolic link, as Kubernetes updates a mounted
/// ConfigMap, counts as changed), and applies it when it is valid: new connections and requests
/// see the new tenants, connections stay open and requests under way finish as admitted. A file
/// with problems is logged, every problem with its line, and counted
/// (`rum_gateway_tenants_reload_failures_total`), and the running tenants stay.
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
            application.metrics.tenantsReloadFailures.wrappingAdd(1, ordering: .relaxed)
            logger.error("tenants not reloaded", metadata: ["problems": "\(error)", "reason": "\(reason)"])
            return false
        }
    }

    /// What tells one version of the file from another: the device, inode, size and modification
    /// time (in nanoseconds) of the file that `path` names once symbolic links are followed.
    struct FileSignature: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int
    }

    /// The signature of the file at `path`, following symbolic links; nil when it cannot be read.
    static func signature(of path: String) -> FileSignature? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = status.st_mtimespec
        #else
        let modified = status.st_mtim
        #endif
        return FileSignature(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
            modifiedSeconds: Int(modified.tv_sec), modifiedNanoseconds: Int(modified.tv_nsec))
    }
}
