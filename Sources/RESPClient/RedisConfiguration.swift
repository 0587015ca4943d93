/// Where a Redis server is and how to talk to it: address, credentials, database, pool size,
/// timeouts and reconnect backoff.
public struct RedisConfiguration: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// The server's port (6379 by default).
    public var port: Int
    /// The ACL user for `AUTH` (Redis 6 and later); `nil` authenticates as `default`.
    public var username: String?
    /// The password for `AUTH`; `nil` sends no `AUTH`.
    public var password: String?
    /// The database `SELECT`ed on every new connection (0, the server's default, sends none).
    public var database: Int
    /// How many connections the pool keeps open. Commands are spread over them round robin, and
    /// pipelined on each.
    public var connections: Int
    /// How long opening a connection may take.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply before failing with `RedisError.timeout`.
    public var commandTimeout: Duration
    /// The wait before reconnecting after a failed attempt; it doubles with each failure in a row.
    public var initialReconnectDelay: Duration
    /// The longest wait between reconnect attempts.
    public var maximumReconnectDelay: Duration

    /// A configuration for the server at `host` and `port`.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connections: Int = 2,
        connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .seconds(1),
        initialReconnectDelay: Duration = .milliseconds(50),
        maximumReconnectDelay: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connections = max(1, connections)
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.initialReconnectDelay = initialReconnectDelay
        self.maximumReconnectDelay = maximumReconnectDelay
    }

    /// A configuration from a `redis://[[user]:password@]host[:port][/database]` URL.
    public init(url: String) throws(RedisConfigurationError) {
        guard url.hasPrefix("redis://") else { throw RedisConfigurationError("not a redis:// URL: \(url)") }
        var rest = Substring(url.dropFirst("redis://".count))
        self.init()
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : String(user)
                password = String(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                password = String(credentials)
            }
        }
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { throw RedisConfigurationError("bad database in \(url)") }
                database = number
            }
        }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let number = Int(rest.dropFirst()), (1...65_535).contains(number) else {
                    throw RedisConfigurationError("bad port in \(url)")
                }
                port = number
            } else if !rest.isEmpty {
                throw RedisConfigurationError("bad host in \(url)")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else {
                throw RedisConfigurationError("bad port in \(url)")
            }
            port = number
        } else if !rest.isEmpty {
            host = String(rest)
        }
        guard !host.isEmpty else { throw RedisConfigurationError("no host in \(url)") }
    }
}

/// A Redis URL that cannot be read.
public struct RedisConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with it.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
