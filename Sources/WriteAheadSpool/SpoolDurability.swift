/// What an acknowledged append survives.
public enum SpoolDurability: Sendable, Hashable {
    /// Each append is one completed `write(2)` before it returns: the record is in the kernel's
    /// page cache, so it survives a crash or `kill -9` of the process, but not a power loss or
    /// a kernel crash. No `fsync` is issued.
    case processCrash
    /// As `processCrash`, plus `fdatasync` of the segment after each append and `fsync` of the
    /// directory after a segment is created or removed: an acknowledged record survives a
    /// power loss, at the cost of a disk flush per append.
    case powerLoss
}
