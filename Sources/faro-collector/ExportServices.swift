import FaroCollector
import LokiPush
import OTLPHTTPClient
import ServiceLifecycle

/// Runs a file sink's writer until graceful shutdown, then writes what waits.
struct FileExportService: Service {
    let sink: FileExportSink

    func run() async {
        await withGracefulShutdownHandler {
            await sink.run()
        } onGracefulShutdown: {
            sink.shutdown()
        }
    }
}

/// Runs a Loki push client until graceful shutdown, then drains it.
struct LokiPushService: Service {
    let client: LokiPushClient

    func run() async {
        await withGracefulShutdownHandler {
            await client.run()
        } onGracefulShutdown: {
            Task { await client.shutdown() }
        }
    }
}

/// Runs an OTLP/HTTP client until graceful shutdown, then drains it.
struct OTLPExportService: Service {
    let client: OTLPHTTPClient

    func run() async {
        await withGracefulShutdownHandler {
            await client.run()
        } onGracefulShutdown: {
            Task { await client.shutdown() }
        }
    }
}
