#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import RUMGateway
import Synchronization
import Testing

@Suite struct TenantsFileLockTests {
    /// A new temporary directory.
    private static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// What the threads of `concurrentAdds` saw: how many held the lock at once, and what failed.
    private final class Outcome: Sendable {
        let holders = Atomic(0)
        let mostHolders = Atomic(0)
        let failures = Mutex<[String]>([])
    }

    @Test("eight threads adding at once, each holding the lock from read to rename, leave every tenant, one at a time")
    func concurrentAdds() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tenants.yaml").path
        try "shop:\n  api_keys: [shop-key]\n".write(toFile: path, atomically: false, encoding: .utf8)
        let names = (0..<8).map { "tenant\($0)" }
        let outcome = Outcome()
        let start = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for name in names {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                start.wait()
                do {
                    let lock = try TenantsFileLock(tenantsFile: path)
                    let holding = outcome.holders.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
                    outcome.mostHolders.max(holding, ordering: .sequentiallyConsistent)
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    let tenant = GatewayTenant(name: name, apiKeys: ["\(name)-key"])
                    try TenantsFile.write(TenantsFile.adding(tenant, to: text, name: path), to: path)
                    outcome.holders.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    lock.release()
                } catch {
                    outcome.failures.withLock { $0.append("\(name): \(error)") }
                }
            }
        }
        for _ in names { start.signal() }
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(outcome.failures.withLock { $0 }.isEmpty)
        #expect(outcome.mostHolders.load(ordering: .sequentiallyConsistent) == 1)
        #expect(Set(try TenantsFile.load(path).tenants.map(\.name)) == Set(["shop"] + names))
    }

    @Test("a lock held by someone else is waited for a bounded time, then refused naming the lock file")
    func held() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tenants.yaml").path
        let holder = try TenantsFileLock(tenantsFile: path)
        let started = ContinuousClock.now
        #expect(throws: TenantsFileLockError.held(path: path + ".lock", waited: .milliseconds(200))) {
            _ = try TenantsFileLock(tenantsFile: path, wait: .milliseconds(200))
        }
        let elapsed = ContinuousClock.now - started
        // Bounded at a hundred times the wait: room for a machine that stalls the test for seconds,
        // which still fails a wait counted in seconds where milliseconds were asked (200 s).
        #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(20), "\(elapsed)")
        holder.release()
        let next = try TenantsFileLock(tenantsFile: path, wait: .zero)
        next.release()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["tenants.yaml.lock"])
    }

    @Test("the lock file is beside the file a symbolic link leads to, and a new one takes the file's owner and group bits")
    func placeAndMode() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        let target = real.appendingPathComponent("tenants.yaml").path
        try "shop: {}\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o646], ofItemAtPath: target)
        let link = directory.appendingPathComponent("tenants.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/tenants.yaml")
        let resolved = try #require(realpath(target, nil))
        defer { free(resolved) }
        #expect(TenantsFileLock.path(of: link) == String(cString: resolved) + ".lock")
        #expect(TenantsFileLock.path(of: target) == target + ".lock")
        let lock = try TenantsFileLock(tenantsFile: link)
        lock.release()
        let mode = try FileManager.default.attributesOfItem(atPath: target + ".lock")[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }
}
