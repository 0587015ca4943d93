import OTLPCodec

extension OTLPLaneKey {
    /// The label of the lane's spool segments: the signal's name (`traces`), then `/` and the
    /// tenant when there is one (`traces/team-a`; `traces/` for the empty tenant).
    var spoolLabel: String {
        guard let tenant else { return signal.label }
        return signal.label + "/" + tenant
    }

    /// The lane of a segment labelled `label` by `spoolLabel`, or `nil` for a label it does not
    /// make.
    init?(spoolLabel label: String) {
        let name = label.prefix { $0 != "/" }
        guard let signal = OTLPSignal.allCases.first(where: { $0.label == name }) else { return nil }
        self.init(signal: signal, tenant: name.endIndex == label.endIndex ? nil : String(label[label.index(after: name.endIndex)...]))
    }
}
