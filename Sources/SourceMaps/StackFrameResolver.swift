public import FaroModel

/// Rewrites the frames of an exception's stack trace to their original sources, as Alloy's
/// `transformException` does.
///
/// For each frame it asks the store for the map of the frame's `filename` in the release, and
/// looks up `lineno` (1-based) and `colno` (0-based) unchanged. A frame that maps becomes a new
/// frame: `filename` the original source, `lineno` the original line (1-based), `colno` the
/// original column (0-based), `function` the mapping's name or `?` when it has none, and `module`
/// empty (Alloy builds the frame afresh). A frame without a map, without a mapping at its
/// position, or whose map failed stays as it was. The exception's other fields are kept; one
/// without a stack trace is returned unchanged.
public struct StackFrameResolver: Sendable {
    /// Where maps come from.
    public let store: any SourceMapStore

    /// A resolver over `store` (usually a `CachingSourceMapStore`).
    public init(store: any SourceMapStore) {
        self.store = store
    }

    /// `exception` with its frames resolved; `onError` hears each store failure (Alloy logs them
    /// at error level) while the frame stays as it was.
    public func resolve(
        _ exception: FaroException, release: String, onError: (SourceMapStoreError) -> Void = { _ in }
    ) -> FaroException {
        guard let stacktrace = exception.stacktrace else { return exception }
        var frames: [FaroStackFrame] = []
        frames.reserveCapacity(stacktrace.frames.count)
        for frame in stacktrace.frames {
            do throws(SourceMapStoreError) {
                frames.append(try resolve(frame, release: release) ?? frame)
            } catch {
                onError(error)
                frames.append(frame)
            }
        }
        var resolved = exception
        resolved.stacktrace = FaroStacktrace(frames: frames)
        return resolved
    }

    /// The original frame of `frame`, or `nil` when no map covers it.
    public func resolve(_ frame: FaroStackFrame, release: String) throws(SourceMapStoreError) -> FaroStackFrame? {
        guard let map = try store.sourceMap(forScript: frame.filename, release: release),
            let position = map.originalPosition(line: frame.lineno, column: frame.colno)
        else { return nil }
        return FaroStackFrame(
            function: position.name.isEmpty ? "?" : position.name,
            module: "",
            filename: position.source,
            lineno: position.line,
            colno: position.column)
    }
}
