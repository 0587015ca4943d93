extension LokiBatch {
    /// The streams that have entries, in the order they were first asked for, each with its
    /// entries in append order: a copy, for tests and inspection.
    public var streams: [LokiStream] {
        var streams: [LokiStream] = []
        for record in streamRecords where record.count > 0 {
            var entries: [LokiEntry] = []
            entries.reserveCapacity(record.count)
            forEachEntry(of: record) { entry in
                entries.append(
                    LokiEntry(
                        timestamp: entry.timestamp, line: string(entry.line),
                        structuredMetadata: metadataRecords[entry.metadata].map {
                            LokiLabelPair(name: string($0.name), value: string($0.value))
                        }))
            }
            streams.append(LokiStream(labels: record.labels, entries: entries))
        }
        return streams
    }

    /// Calls `body` with each entry of the stream `record`, in append order.
    @inline(__always)
    func forEachEntry(of record: StreamRecord, _ body: (EntryRecord) throws -> Void) rethrows {
        var index = record.first
        for _ in 0..<record.count {
            let entry = entryRecords[index]
            try body(entry)
            index = entry.next
        }
    }

    /// The text of `range` in `bytes`, which is valid UTF-8.
    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}
