import Benchmark
import FaroBenchmarkSupport
import FaroModel

/// The package-benchmark suite: for `payload.json` and the generated 1 MiB payload, decoding
/// with FaroModel and with its peer (JSONDecoder with Codable mirror types), decoding and
/// encoding lines, and encoding lines alone into a reused buffer. Throughput is payloads per
/// second; malloc counts are per payload, so encoding alone must show 0. The ratios to the
/// peer and the targets are printed by `faro-model-ratios` (`Benchmarks/run` runs both).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .mallocBytesCount],
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    let inputs: [BenchmarkInput]
    do {
        inputs = try BenchmarkInput.all()
    } catch {
        fatalError("\(error)")
    }

    for input in inputs {
        let label = "\(input.name) (\(input.size) bytes, \(input.itemCount) items)"
        let decoder = FaroPayloadDecoder()
        let peer = CodablePeer()

        Benchmark("decode: FaroModel, \(label)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try! decoder.decode(input.bytes))
            }
        }

        Benchmark("decode: JSONDecoder, \(label)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try! peer.decode(input.data))
            }
        }

        for format in FaroLogFormat.allCases {
            var decodeAndEncode = LineEncodingWorkload(format: format)
            Benchmark("decode+encode lines (\(format)): FaroModel, \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(decodeAndEncode.encode(try! decoder.decode(input.bytes)))
                }
            }

            var encode = LineEncodingWorkload(format: format)
            Benchmark("encode lines (\(format)), reused buffer: FaroModel, \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(encode.encode(input.payload))
                }
            }
        }
    }
}
