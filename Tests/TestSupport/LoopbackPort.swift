import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for the servers that tests start.
public enum LoopbackPort {
    /// The ports `free()` has handed out in this process.
    private static let handedOut = Mutex(Set<Int>())

    /// A port the kernel picks as free on 127.0.0.1, and that no earlier call in this process
    /// returned. The kernel's pick is free only until the server binds it: two tests starting
    /// servers at once could otherwise both get it, and a server restarted on its own port after
    /// a kill could find another test's there.
    public static func free() throws -> Int {
        for _ in 0..<100 {
            let port = try kernelPick()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw OracleError("the kernel picked only ports handed out before")
    }

    /// A port the kernel picks as free on 127.0.0.1 now.
    private static func kernelPick() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw OracleError("socket() failed") }
        defer { close(socket) }
        var address = Self.address(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw OracleError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = Self.address(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The socket address 127.0.0.1:`port`.
    static func address(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
