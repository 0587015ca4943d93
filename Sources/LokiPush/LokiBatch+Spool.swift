import LokiPushCodec
import WriteAheadSpool

extension LokiBatch {
    /// Appends the entries of a spooled batch: its records are the uncompressed `PushRequest`s
    /// of the pushes it took, in order.
    mutating func append(spooled records: SpoolRecords) throws(LokiPushDecodingError) {
        for record in records {
            let result = record.withUnsafeBytes { bytes in
                Result { () throws(LokiPushDecodingError) in try LokiPushRequestDecoder.decodePushRequest(bytes, into: &self) }
            }
            try result.get()
        }
    }
}
