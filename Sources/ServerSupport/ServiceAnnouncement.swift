#if canImport(Glibc)
import Glibc
#endif
package import ServiceLifecycle

/// Runs a service after printing a line (where it listens): from inside the service group, whose
/// signal handlers are then in place, so that a SIGTERM sent by someone who read the line stops
/// the service gracefully instead of killing it.
package struct ServiceAnnouncement: Service {
    /// The service to run.
    package let service: any Service
    /// The line to print first.
    package let text: String

    /// Prints `text`, then runs `service`.
    package init(_ text: String, then service: any Service) {
        self.text = text
        self.service = service
    }

    package func run() async throws {
        print(text)
        fflush(nil)
        try await service.run()
    }
}
