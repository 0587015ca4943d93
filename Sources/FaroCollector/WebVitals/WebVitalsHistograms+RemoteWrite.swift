public import Snappy
import ProtobufWire

extension WebVitalsHistograms {
    /// Appends every series as an uncompressed Prometheus remote-write 1.0 request
    /// (`prometheus.WriteRequest` of `prompb/remote.proto`), one sample each at `timestampMilliseconds`.
    ///
    /// A histogram is written as classic series: `<name>_bucket` with `le` (cumulative, `+Inf`
    /// last), `<name>_sum` and `<name>_count`. `le` has the form Prometheus 3 stores scraped
    /// bounds in (`1.0`, `2.5`, `+Inf`, as `labels.FormatOpenMetricsFloat` writes them), so the
    /// series are those a scrape of `appendExposition(to:)` would have made. Each series' labels
    /// are sorted by name (`__name__`, `app`, `environment`, `le`, `route`), as the
    /// specification requires; a label whose value is empty is left out, which Prometheus reads
    /// as the same series. Metrics and series come in the order of `appendExposition(to:)`.
    ///
    /// Fields are written as proto3 encoders write them (a zero sample value or timestamp left
    /// out), so the bytes are the canonical encoding. Field numbers: `WriteRequest.timeseries` 1;
    /// `TimeSeries.labels` 1, `samples` 2; `Label.name` 1, `value` 2; `Sample.value` 1 (double),
    /// `timestamp` 2 (int64).
    public func appendRemoteWriteRequest(timestampMilliseconds: Int64, to output: inout ContiguousArray<UInt8>) {
        let metrics = snapshot()
        ProtobufWriter.append(to: &output) { writer in
            for (layout, series) in zip(layouts, metrics) where !series.labelSets.isEmpty {
                for index in series.sortedSeries(routes: routes) {
                    let labels = series.labelSets[index]
                    let route = routes.label(of: labels.route)
                    var cumulative: UInt64 = 0
                    for bucket in 0..<series.bucketsPerSeries {
                        cumulative &+= series.bucketCounts[index * series.bucketsPerSeries + bucket]
                        writer.writeMessage(field: 1) { timeSeries in
                            Self.writeLabel(name: "__name__", value: layout.bucketName, to: &timeSeries)
                            Self.writeLabel(name: "app", value: labels.app, to: &timeSeries)
                            Self.writeLabel(name: "environment", value: labels.environment, to: &timeSeries)
                            timeSeries.writeMessage(field: 1) { label in
                                label.writeString(field: 1, "le")
                                label.writeBytes(field: 2, layout.remoteWriteBoundLabels[bucket])
                            }
                            Self.writeLabel(name: "route", value: route, to: &timeSeries)
                            Self.writeLabel(name: "tenant", value: labels.tenant, to: &timeSeries)
                            Self.writeSample(Double(cumulative), timestampMilliseconds, to: &timeSeries)
                        }
                    }
                    for (name, value) in [(layout.sumName, series.sums[index]), (layout.countName, Double(cumulative))] {
                        writer.writeMessage(field: 1) { timeSeries in
                            Self.writeLabel(name: "__name__", value: name, to: &timeSeries)
                            Self.writeLabel(name: "app", value: labels.app, to: &timeSeries)
                            Self.writeLabel(name: "environment", value: labels.environment, to: &timeSeries)
                            Self.writeLabel(name: "route", value: route, to: &timeSeries)
                            Self.writeLabel(name: "tenant", value: labels.tenant, to: &timeSeries)
                            Self.writeSample(value, timestampMilliseconds, to: &timeSeries)
                        }
                    }
                }
            }
        }
    }

    /// Appends the body of a remote-write POST: the request of
    /// `appendRemoteWriteRequest(timestampMilliseconds:to:)`, Snappy-compressed (block format,
    /// unframed). `request` is scratch memory, emptied first and left holding the uncompressed
    /// request; keep it and `compressor` between calls so that nothing is allocated once warm.
    /// Send it with `PrometheusRemoteWrite.headers`.
    public func appendRemoteWriteBody(
        timestampMilliseconds: Int64, to body: inout ContiguousArray<UInt8>,
        request: inout ContiguousArray<UInt8>, compressor: inout SnappyCompressor
    ) {
        request.removeAll(keepingCapacity: true)
        appendRemoteWriteRequest(timestampMilliseconds: timestampMilliseconds, to: &request)
        PrometheusRemoteWrite.appendBody(compressing: request, to: &body, compressor: &compressor)
    }

    /// Writes a `Label` (field 1 of `TimeSeries`), unless `value` is empty.
    private static func writeLabel(name: String, value: String, to writer: inout ProtobufWriter) {
        if value.isEmpty { return }
        writer.writeMessage(field: 1) { label in
            label.writeString(field: 1, name)
            label.writeString(field: 2, value)
        }
    }

    /// Writes a `Sample` (field 2 of `TimeSeries`), leaving out a zero value or timestamp as
    /// proto3 encoders do (`-0.0` is not zero), so that the request is canonical.
    private static func writeSample(_ value: Double, _ timestamp: Int64, to writer: inout ProtobufWriter) {
        writer.writeMessage(field: 2) { sample in
            if value.bitPattern != 0 { sample.writeDouble(field: 1, value) }
            if timestamp != 0 { sample.writeInt64(field: 2, timestamp) }
        }
    }
}
