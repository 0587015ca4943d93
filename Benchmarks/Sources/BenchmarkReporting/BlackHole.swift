/// Keeps a value alive and opaque to the optimizer, so that the work producing it is not removed.
@_optimize(none)
public func blackHole(_: some Any) {}
