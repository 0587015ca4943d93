/// A durable, bounded queue of byte records on disk, kept in segment files in one directory.
///
/// The owner creates a segment per unit of work (a batch), appends records to it — an append
/// has reached the kernel when it returns, so it survives `kill -9` of the process, and with
/// `SpoolDurability.powerLoss` the disk — seals it, reads it back and removes it when done.
/// When a spool opens a directory it recovers the segments an earlier run left, sealed, oldest
/// first. The spool enforces `SpoolConfiguration.maximumBytes` by refusing what would go over
/// it (`SpoolError.full`); the owner decides which segments to drop to make room.
///
/// Not thread-safe: the owner serializes all calls (in a `Mutex`, say). At most one spool uses a
/// directory at a time; the directory's `LOCK` file enforces it across processes.
public final class WriteAheadSpool {
    /// The configuration the spool was opened with.
    public let configuration: SpoolConfiguration
    /// The segments found with a torn header when the spool opened (a crash or power loss
    /// while one was created), whose files recovery removed.
    public let removedOnRecovery: [SpoolSegmentID]
    /// The sum of the sizes of all segment files, headers included.
    public internal(set) var byteCount: Int
    /// The directory, without a trailing slash.
    let directory: String
    /// The exclusive lock on the directory, released when the spool goes away.
    private let lock: DirectoryLock
    /// Every segment, ordered by identity (oldest first).
    var entries: [SegmentEntry]
    /// The sequence number of the next segment created.
    var nextSequence: UInt64
    /// Memory segment files are read into, reused across reads.
    var scratch: ScratchBuffer
    /// Whether `forEachRecord` is calling its body, which then holds `scratch`.
    var isIterating = false

    /// Opens the spool of `configuration.directory`: creates the directory (and its parents)
    /// when missing, locks it, and recovers the segments found in it.
    ///
    /// Recovery checks each segment file's header and every record's frame and checksum. A
    /// torn or corrupt tail is cut off (the file truncated to its last good record, the cut
    /// counted in `SpoolSegmentInfo.discardedBytes`); a file whose header is torn is removed
    /// (listed in `removedOnRecovery`). Recovered segments are sealed. Files whose names are not
    /// 16 lowercase hex digits followed by `.seg` are left alone.
    ///
    /// - Throws: `.locked` when another spool holds the directory; `.unsupportedVersion` for a
    ///   segment written by a newer format; `.io` when a system call fails.
    public init(configuration: SpoolConfiguration) throws(SpoolError) {
        var directory = configuration.directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        if directory.isEmpty { directory = "." }
        try POSIX.makeDirectories(directory)
        let lock = try DirectoryLock(directory: directory)
        var scratch = ScratchBuffer()
        let recovered = try SegmentRecovery.run(
            directory: directory, durability: configuration.durability, scratch: &scratch
        )
        self.configuration = configuration
        self.directory = directory
        self.lock = lock
        self.scratch = scratch
        entries = recovered.entries
        removedOnRecovery = recovered.removed
        byteCount = recovered.entries.reduce(0) { $0 + $1.info.byteCount }
        nextSequence = recovered.highestSequence + 1
    }

    deinit {
        for entry in entries where entry.descriptor >= 0 {
            POSIX.close(entry.descriptor)
        }
    }

    /// All segments, oldest first: those recovered when the spool opened, then those created
    /// since.
    public var segments: [SpoolSegmentInfo] {
        entries.map(\.info)
    }

    /// The segment with identity `id`, or nil when the spool has none (never created, or
    /// removed).
    public func info(for id: SpoolSegmentID) -> SpoolSegmentInfo? {
        position(of: id).map { entries[$0].info }
    }

    /// The position of segment `id` in `entries`, found by binary search.
    func position(of id: SpoolSegmentID) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].info.id < id { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].info.id == id ? low : nil
    }

    /// The position of segment `id` in `entries`, or `.unknownSegment`.
    func index(of id: SpoolSegmentID) throws(SpoolError) -> Int {
        guard let index = position(of: id) else { throw .unknownSegment(id) }
        return index
    }

    /// The path of segment `id`'s file.
    func path(of id: SpoolSegmentID) -> String {
        directory + "/" + id.fileName
    }
}
