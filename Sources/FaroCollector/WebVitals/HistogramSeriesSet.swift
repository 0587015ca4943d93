/// The series of one histogram metric: per label set, the count of each bucket (not
/// cumulative; the exposition adds them up) and the sum of the values observed.
///
/// The counts of all series live in one flat array, `bucketsPerSeries` a series, so an
/// observation into an existing series is a dictionary look-up and two additions.
struct HistogramSeriesSet: Sendable {
    /// Buckets per series, the `+Inf` bucket included.
    let bucketsPerSeries: Int
    /// The index of each label set's series.
    var indexByLabels: [SeriesLabels: Int] = [:]
    /// The label sets, by series index.
    var labelSets: ContiguousArray<SeriesLabels> = []
    /// The bucket counts, `bucketsPerSeries` per series.
    var bucketCounts: ContiguousArray<UInt64> = []
    /// The sum of the values observed, per series.
    var sums: ContiguousArray<Double> = []
    /// The number of series of each tenant (`""` without tenants), each bounded on its own.
    var seriesCountByTenant: [String: Int] = [:]

    /// An empty set of series with `bucketsPerSeries` buckets each.
    init(bucketsPerSeries: Int) {
        self.bucketsPerSeries = bucketsPerSeries
    }

    /// The series of `labels`, created if its tenant has fewer than `maximum` series; otherwise
    /// the series of route `other` of the same app, environment and tenant, if it exists;
    /// otherwise `nil`. Each tenant has its own bound, so that one cannot take another's series.
    mutating func seriesIndex(for labels: SeriesLabels, maximum: Int) -> Int? {
        if let index = indexByLabels[labels] { return index }
        if seriesCountByTenant[labels.tenant, default: 0] < maximum {
            let index = labelSets.count
            labelSets.append(labels)
            indexByLabels[labels] = index
            seriesCountByTenant[labels.tenant, default: 0] += 1
            bucketCounts.append(contentsOf: repeatElement(0, count: bucketsPerSeries))
            sums.append(0)
            return index
        }
        if case .other = labels.route { return nil }
        var fallback = labels
        fallback.route = .other
        return indexByLabels[fallback]
    }

    /// Counts `value` into its bucket of `series` (the first whose bound is at least `value`).
    mutating func observe(_ value: Double, series: Int, bounds: ContiguousArray<Double>) {
        var bucket = 0
        while bucket < bounds.count, value > bounds[bucket] { bucket += 1 }
        bucketCounts[series &* bucketsPerSeries &+ bucket] &+= 1
        sums[series] += value
    }

    /// A copy whose arrays share no storage with this set, so that later observations write
    /// in place instead of copying for the reader.
    func snapshot() -> HistogramSeriesSet {
        var copy = HistogramSeriesSet(bucketsPerSeries: bucketsPerSeries)
        copy.labelSets = labelSets
        copy.bucketCounts = HistogramSeriesSet.copy(bucketCounts)
        copy.sums = HistogramSeriesSet.copy(sums)
        return copy
    }

    /// A copy of `source` in storage of its own.
    private static func copy<T: BitwiseCopyable>(_ source: ContiguousArray<T>) -> ContiguousArray<T> {
        ContiguousArray(unsafeUninitializedCapacity: source.count) { buffer, count in
            source.withUnsafeBufferPointer { count = buffer.initialize(fromContentsOf: $0) }
        }
    }

    /// The series indices in label order (app, environment, route, byte by byte).
    func sortedSeries(routes: PageRouteMatcher) -> [Int] {
        labelSets.indices.sorted { SeriesLabels.precedes(labelSets[$0], labelSets[$1], routes: routes) }
    }
}
