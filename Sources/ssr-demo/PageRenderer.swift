import Foundation
import Hummingbird
import Mustache
import Tracing

/// Renders the server-side pages from the Mustache templates, with the `traceparent` meta of the
/// span that renders them and the settings of the browser script.
struct PageRenderer: Sendable {
    /// The browser script's settings, written into its `<script>` tag's data attributes.
    struct BrowserSettings: Sendable {
        var collectorURL: String
        var appName: String
        var appVersion: String
        var environment: String
        var apiKey: String?
    }

    private let library: MustacheLibrary
    private let settings: BrowserSettings

    /// Loads the templates from `directory`.
    init(directory: String, settings: BrowserSettings) async throws {
        self.library = try await MustacheLibrary(directory: directory)
        self.settings = settings
    }

    /// The page of `template` for `values`, as an HTML response. Its `traceparent` meta names the
    /// current span, the request's server span, so the browser's spans become its children.
    func render(_ template: String, title: String, values: [String: Any]) throws -> HTMLPage {
        let traceparentMeta = (InstrumentationContext.current ?? .topLevel).traceparentMeta
        return try withSpan("render \(template)") { span in
            span.attributes["template.name"] = template
            var context = values
            context["title"] = title
            context["traceparentMeta"] = traceparentMeta
            var rum: [String: Any] = [
                "collectorURL": settings.collectorURL, "appName": settings.appName, "appVersion": settings.appVersion,
                "environment": settings.environment,
            ]
            if let apiKey = settings.apiKey { rum["apiKey"] = apiKey }
            context["rum"] = rum
            guard let html = library.render(context, withTemplate: template) else {
                throw HTTPError(.internalServerError, message: "No template named \(template)")
            }
            return HTMLPage(html: html)
        }
    }
}

/// An HTML page as a response.
struct HTMLPage: ResponseGenerator {
    var html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
