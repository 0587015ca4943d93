#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
public import NIOCore
public import NIOHTTP1
import NIOPosix

/// What the servers of `collector-load` (and rum-tracing-ratios' sink) share: their command line
/// (`--port N --threads N --host ADDRESS`, and `--until-stdin-closes` for a server that a tool
/// starts), a SwiftNIO HTTP/1.1 server with faro-collector's socket and pipeline options
/// (backlog 1024, `SO_REUSEADDR`, `TCP_NODELAY`, 16 messages a read, NIO's server pipeline with
/// error handling), the `listening on http://HOST:PORT` line the script waits for, and answers.
public enum LoopbackHTTPServer {
    /// Reads the command line of the server `name`, binds, prints where it listens, and serves with
    /// a handler from `makeHandler` on each connection until the process is killed, or, with
    /// `--until-stdin-closes`, until its standard input reaches its end: a server started with a
    /// pipe there ends with the process that started it, even one that crashed.
    public static func run<Handler: ChannelHandler>(name: String, makeHandler: @escaping @Sendable () -> Handler) throws {
        for argument in CommandLine.arguments.dropFirst() where argument.hasPrefix("--") {
            guard ["--port", "--threads", "--host", "--until-stdin-closes"].contains(argument) else {
                fail("usage: \(name) [--port N] [--threads N] [--host ADDRESS] [--until-stdin-closes]\n")
            }
        }
        if CommandLine.arguments.contains("--until-stdin-closes") {
            DispatchQueue.global().async {
                var byte: UInt8 = 0
                while read(0, &byte, 1) > 0 {}
                exit(0)
            }
        }
        guard let port = Int(option("--port", default: "0", of: name)), let threads = Int(option("--threads", default: "1", of: name)),
            threads > 0
        else {
            fail("\(name): --port and --threads take numbers\n")
        }
        let host = option("--host", default: "127.0.0.1", of: name)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(makeHandler())
                }
            }
            .bind(host: host, port: port)
            .wait()
        print("listening on http://\(channel.localAddress?.ipAddress ?? host):\(channel.localAddress?.port ?? port)")
        fflush(nil)
        try channel.closeFuture.wait()
    }

    /// Writes an answer with `status`, `body` (with its content type, text by default) and the
    /// connection's keep-alive, closing the connection after it when not kept alive.
    public static func respond(
        _ status: HTTPResponseStatus, body: String?, contentType: String = "text/plain; charset=utf-8", keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        if let body {
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.utf8.count))
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if let body, !body.isEmpty {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Writes `message` to standard error and exits with status 2.
    static func fail(_ message: String) -> Never {
        let bytes = Array(message.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }

    /// The value after `name` on the command line of the server `server`, or `value`.
    static func option(_ name: String, default value: String, of server: String) -> String {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: name) else { return value }
        guard index + 1 < arguments.count else { fail("\(server): \(name) needs a value\n") }
        return arguments[index + 1]
    }
}
