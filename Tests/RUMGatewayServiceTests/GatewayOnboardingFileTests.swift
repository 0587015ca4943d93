#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing

/// What `rumctl tenant add` does to the tenants file it rewrites, and the origins it refuses.
@Suite struct GatewayOnboardingFileTests {
    /// A new temporary directory.
    private static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rumctl-tenants-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `rumctl tenant add NAME --tenants tenants.yaml` and `arguments` in `directory`.
    private static func add(_ name: String, _ arguments: [String] = [], in directory: URL) async throws
        -> (status: Int32, output: Data, errors: Data)
    {
        let rumctl = TestEnvironment.productsDirectory.appendingPathComponent("rumctl")
        return try await TestEnvironment.runToEnd(
            rumctl, arguments: ["tenant", "add", name, "--tenants", "tenants.yaml"] + arguments, directory: directory)
    }

    /// The permission bits of the file at `url`.
    private static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    @Test("the tenants file keeps its mode 0600, and a new one is created with 0600")
    func keepsMode() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenants.yaml")
        try "shop:\n  api_keys: [shop-key-0123456789]\n".write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try await Self.add("blog", ["--origin", "https://blog.example"], in: directory).status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("\"blog\":"))
        #expect(try Self.mode(file) == 0o600)

        let fresh = try Self.directory()
        defer { try? FileManager.default.removeItem(at: fresh) }
        #expect(try await Self.add("blog", in: fresh).status == 0)
        #expect(try Self.mode(fresh.appendingPathComponent("tenants.yaml")) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fresh.path)
        #expect(leftovers.sorted() == ["tenants.yaml", "tenants.yaml.lock"])
    }

    @Test("a tenants file that is not UTF-8 text, or a directory, is refused with its name and why, and left alone")
    func unreadableFile() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenants.yaml")
        try Data([0xFF, 0xFE, 0x0A]).write(to: file)
        let binary = try await Self.add("blog", in: directory)
        #expect(binary.status == 1)
        #expect(String(decoding: binary.errors, as: UTF8.self) == "rumctl tenant add: tenants.yaml: not UTF-8 text\n")
        #expect(try Data(contentsOf: file) == Data([0xFF, 0xFE, 0x0A]))

        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        let folder = try await Self.add("blog", in: directory)
        #expect(folder.status == 1)
        #expect(String(decoding: folder.errors, as: UTF8.self).hasPrefix("rumctl tenant add: tenants.yaml: cannot "))
    }

    @Test("a tenants file that is a symbolic link stays one, and the file it leads to gets the tenant; a link to nothing is refused")
    func keepsSymbolicLink() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        let target = real.appendingPathComponent("tenants.yaml")
        try "shop:\n  api_keys: [shop-key-0123456789]\n".write(to: target, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target.path)
        let link = directory.appendingPathComponent("tenants.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/tenants.yaml")
        #expect(try await Self.add("blog", in: directory).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: link.path)[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "real/tenants.yaml")
        #expect(try String(contentsOf: target, encoding: .utf8).contains("\"blog\":"))
        #expect(try Self.mode(target) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: real.path).sorted() == ["tenants.yaml", "tenants.yaml.lock"])
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tenants.yaml.lock").path))

        try FileManager.default.removeItem(at: target)
        let dangling = try await Self.add("blog", in: directory)
        #expect(dangling.status == 1)
        #expect(String(decoding: dangling.errors, as: UTF8.self).contains("cannot write tenants.yaml"))
        #expect(try FileManager.default.attributesOfItem(atPath: link.path)[.type] as? FileAttributeType == .typeSymbolicLink)
    }

    @Test("eight adds at once into one file each add their tenant: none is lost to another's rename")
    func concurrentAdds() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenants.yaml")
        try "shop:\n  api_keys: [shop-key-0123456789]\n".write(to: file, atomically: false, encoding: .utf8)
        let names = (0..<8).map { "tenant\($0)" }
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for name in names {
                group.addTask { try await Self.add(name, ["--origin", "https://\(name).example"], in: directory).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 0, count: names.count))
        let text = try String(contentsOf: file, encoding: .utf8)
        let written = names.filter { text.contains("\"\($0)\":") }
        #expect(written == names, "\(text)")
    }

    @Test("an add while another holds the lock file gives up after 5 s, naming it, with status 1 and the file unchanged")
    func lockHeld() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenants.yaml")
        let before = "shop:\n  api_keys: [shop-key-0123456789]\n"
        try before.write(to: file, atomically: false, encoding: .utf8)
        let descriptor = open(directory.appendingPathComponent("tenants.yaml.lock").path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let started = ContinuousClock.now
        let result = try await Self.add("blog", ["--origin", "https://blog.example"], in: directory)
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 1)
        #expect(
            String(decoding: result.errors, as: UTF8.self)
                == "rumctl tenant add: the lock file tenants.yaml.lock is held by another writer of the tenants file (another rumctl "
                + "tenant add?); gave up after 5.0 seconds; the tenants file is unchanged\n")
        #expect(result.output.isEmpty)
        // Under 30 s: the process start and exit count too, 5.5 s more in a loaded CI run (10.5 s in all).
        #expect(elapsed >= .seconds(5) && elapsed < .seconds(30), "\(elapsed)")
        #expect(try String(contentsOf: file, encoding: .utf8) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["tenants.yaml", "tenants.yaml.lock"])
    }

    @Test(
        "an origin no browser sends is refused, naming it, with status 1 and the file unchanged",
        arguments: ["https://new.example/", "new.example", "https://new.example/app", "https://user@new.example", "https://new.example:443"])
    func refusesOrigin(_ origin: String) async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenants.yaml")
        let before = "shop:\n  api_keys: [shop-key-0123456789]\n"
        try before.write(to: file, atomically: false, encoding: .utf8)
        let result = try await Self.add("blog", ["--origin", "https://blog.example", "--origin", origin], in: directory)
        #expect(result.status == 1)
        let errors = String(decoding: result.errors, as: UTF8.self)
        #expect(errors.contains("origin \"\(origin)\" must be http:// or https://"), "\(errors)")
        #expect(try String(contentsOf: file, encoding: .utf8) == before)
        #expect(try await Self.add("blog", ["--origin", "https://blog.example:8443", "--origin", "https://*.blog.example"], in: directory).status == 0)
    }
}
