import Hummingbird

/// A product of the demo shop, as the JSON API answers it and the pages show it.
struct Product: ResponseCodable, Sendable {
    var id: Int
    var name: String
    var price: String
    var description: String
}

/// The shop's fixed catalogue.
enum Catalogue {
    static let products: [Product] = [
        Product(id: 1, name: "Espresso cups", price: "€18.00", description: "Four stoneware cups, 80 ml each."),
        Product(id: 2, name: "Pour-over kettle", price: "€42.00", description: "A gooseneck kettle for a slow, even pour."),
        Product(id: 3, name: "Burr grinder", price: "€129.00", description: "Forty grind settings, from espresso to cold brew."),
    ]

    /// The product with `id`, or `nil`.
    static func product(id: Int) -> Product? {
        products.first { $0.id == id }
    }
}

/// What `POST /api/cart` takes.
struct CartAddition: Decodable {
    var productId: Int
}

/// What `POST /api/cart` answers.
struct CartContents: ResponseCodable {
    var productIds: [Int]
}
