import Foundation
import Hummingbird
import RUMTracingHummingbird
import Tracing

/// The demo's routes: server-rendered pages, the client-rendered page, its JSON API and the
/// static files (the browser script among them), all under `RUMTracingMiddleware`.
enum DemoRoutes {
    static func router(renderer: PageRenderer, publicDirectory: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RUMTracingMiddleware())
        router.add(middleware: FileMiddleware(publicDirectory, searchForIndexHtml: false))

        router.get("/") { _, _ -> HTMLPage in
            let products = loadCatalogue()
            let values: [String: Any] = [
                "products": products.map(\.templateValues), "firstProductID": products[0].id, "firstProductName": products[0].name,
            ]
            return try renderer.render("home", title: "Shop", values: values)
        }
        router.get("/products/{id}") { _, context -> HTMLPage in
            let product = try productParameter(context)
            return try renderer.render("product", title: product.name, values: ["product": product.templateValues])
        }
        router.get("/app") { _, _ -> HTMLPage in
            try renderer.render("app", title: "Catalogue", values: [:])
        }
        router.get("/api/products") { _, _ -> [Product] in
            loadCatalogue()
        }
        router.get("/api/products/{id}") { _, context -> Product in
            try productParameter(context)
        }
        router.post("/api/cart") { request, context -> CartContents in
            let addition = try await request.decode(as: CartAddition.self, context: context)
            guard Catalogue.product(id: addition.productId) != nil else {
                throw HTTPError(.notFound, message: "No product \(addition.productId)")
            }
            return CartContents(productIds: [addition.productId])
        }
        return router
    }

    /// The catalogue, read inside a span of its own as a database query would be.
    private static func loadCatalogue() -> [Product] {
        withSpan("catalogue.load", ofKind: .client) { span in
            span.attributes["db.system.name"] = "in-memory"
            span.attributes["db.operation.name"] = "SELECT"
            return Catalogue.products
        }
    }

    /// The product named by the route's `{id}`, or a 404.
    private static func productParameter(_ context: BasicRequestContext) throws -> Product {
        let id = try context.parameters.require("id", as: Int.self)
        guard let product = Catalogue.product(id: id) else { throw HTTPError(.notFound, message: "No product \(id)") }
        return product
    }
}

extension Product {
    /// The product as a Mustache template sees it.
    var templateValues: [String: Any] {
        ["id": id, "name": name, "price": price, "description": description]
    }
}
