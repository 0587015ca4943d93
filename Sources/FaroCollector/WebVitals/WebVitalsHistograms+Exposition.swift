extension WebVitalsHistograms {
    /// The `Content-Type` of the text that `appendExposition(to:)` writes:
    /// `text/plain; version=0.0.4; charset=utf-8`.
    public static let expositionContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Appends every metric that has series in the Prometheus text exposition format 0.0.4.
    ///
    /// Metrics come in configuration order, each with one `# HELP` and one `# TYPE … histogram`
    /// line, then its series sorted by app, environment and route (byte order); each series is
    /// its cumulative `_bucket` lines (`le` ascending, `+Inf` last), `_sum` and `_count`. A
    /// metric without series is left out, as client_golang leaves out an empty vector. Numbers
    /// are written as client_golang writes them (Go's shortest `'g'` form: `le="1"`,
    /// `0.30000000000000004`, `1e-05`, `+Inf`, `NaN`), which Prometheus parses back exactly.
    public func appendExposition(to output: inout ContiguousArray<UInt8>) {
        let metrics = snapshot()
        for (layout, series) in zip(layouts, metrics) where !series.labelSets.isEmpty {
            let name = layout.definition.metricName
            output.append(contentsOf: "# HELP ".utf8)
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: " "))
            PrometheusTextEscaping.appendHelp(layout.definition.help, to: &output)
            output.append(contentsOf: "\n# TYPE ".utf8)
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: " histogram\n".utf8)
            for index in series.sortedSeries(routes: routes) {
                let labels = series.labelSets[index]
                var cumulative: UInt64 = 0
                for bucket in 0..<series.bucketsPerSeries {
                    cumulative &+= series.bucketCounts[index * series.bucketsPerSeries + bucket]
                    output.append(contentsOf: layout.bucketName.utf8)
                    appendLabels(labels, to: &output)
                    output.append(contentsOf: ",le=\"".utf8)
                    output.append(contentsOf: layout.boundLabels[bucket])
                    output.append(contentsOf: "\"} ".utf8)
                    output.append(contentsOf: String(cumulative).utf8)
                    output.append(UInt8(ascii: "\n"))
                }
                output.append(contentsOf: layout.sumName.utf8)
                appendLabels(labels, to: &output)
                output.append(contentsOf: "} ".utf8)
                PrometheusFloat.append(series.sums[index], to: &output)
                output.append(UInt8(ascii: "\n"))
                output.append(contentsOf: layout.countName.utf8)
                appendLabels(labels, to: &output)
                output.append(contentsOf: "} ".utf8)
                output.append(contentsOf: String(cumulative).utf8)
                output.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Appends `{app="…",environment="…",route="…"`, without the closing brace.
    private func appendLabels(_ labels: SeriesLabels, to output: inout ContiguousArray<UInt8>) {
        output.append(contentsOf: "{app=\"".utf8)
        PrometheusTextEscaping.appendLabelValue(labels.app, to: &output)
        output.append(contentsOf: "\",environment=\"".utf8)
        PrometheusTextEscaping.appendLabelValue(labels.environment, to: &output)
        output.append(contentsOf: "\",route=\"".utf8)
        PrometheusTextEscaping.appendLabelValue(routes.label(of: labels.route), to: &output)
        output.append(UInt8(ascii: "\""))
        if !labels.tenant.isEmpty {
            output.append(contentsOf: ",tenant=\"".utf8)
            PrometheusTextEscaping.appendLabelValue(labels.tenant, to: &output)
            output.append(UInt8(ascii: "\""))
        }
    }
}

extension WebVitalsHistograms {
    /// Appends the histograms' own counts in the Prometheus text exposition format 0.0.4:
    /// `faro_receiver_web_vitals_observations_total{outcome="recorded|rejected|dropped"}` (see
    /// `statistics`) and the gauge `faro_receiver_web_vitals_series`, so that values lost to a
    /// bound show on the same page as the histograms.
    public func appendStatisticsExposition(to output: inout ContiguousArray<UInt8>) {
        let statistics = self.statistics
        output.append(
            contentsOf: """
                # HELP faro_receiver_web_vitals_observations_total Web-vitals values given to the histograms, by outcome: recorded, rejected (invalid value, or app or environment over the length bound) or dropped (over the bound on series).
                # TYPE faro_receiver_web_vitals_observations_total counter

                """.utf8)
        for (outcome, count) in [
            ("recorded", statistics.recordedObservations), ("rejected", statistics.rejectedObservations),
            ("dropped", statistics.droppedObservations),
        ] {
            output.append(contentsOf: "faro_receiver_web_vitals_observations_total{outcome=\"\(outcome)\"} \(count)\n".utf8)
        }
        output.append(
            contentsOf: """
                # HELP faro_receiver_web_vitals_series Series (label sets) of all web-vitals histograms.
                # TYPE faro_receiver_web_vitals_series gauge
                faro_receiver_web_vitals_series \(statistics.seriesCount)

                """.utf8)
    }
}
