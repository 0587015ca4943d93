/// Where a spool keeps its segments, how much it may hold and how durable an append is.
public struct SpoolConfiguration: Sendable {
    /// The directory of the segment files and of the `LOCK` file; created, with its parents,
    /// when missing. One spool at a time may use it.
    public var directory: String
    /// The bound on the sum of the sizes of all segment files, headers included. An append or
    /// a new segment that would go over it fails with `SpoolError.full`. Default 1 GiB.
    public var maximumBytes: Int
    /// What an acknowledged append survives. Default `.processCrash`.
    public var durability: SpoolDurability
    /// The longest record `append` accepts, in bytes; values over `UInt32.max` count as
    /// `UInt32.max`, the most a record's length prefix can hold. Default 64 MiB.
    public var maximumRecordLength: Int

    /// A configuration for `directory` with the given bounds and durability.
    public init(
        directory: String,
        maximumBytes: Int = 1 << 30,
        durability: SpoolDurability = .processCrash,
        maximumRecordLength: Int = 64 << 20
    ) {
        self.directory = directory
        self.maximumBytes = maximumBytes
        self.durability = durability
        self.maximumRecordLength = maximumRecordLength
    }
}
