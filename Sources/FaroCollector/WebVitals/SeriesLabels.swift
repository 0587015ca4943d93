/// The labels that tell the series of one web-vitals metric apart: `app`, `environment`, `route`,
/// and `tenant` when the collector has tenants.
struct SeriesLabels: Hashable, Sendable {
    /// `meta.app.name`, possibly empty.
    var app: String
    /// `meta.app.environment`, possibly empty.
    var environment: String
    /// The page's route.
    var route: PageRouteMatcher.Route
    /// The collector's tenant that took the payload; empty without tenants (no `tenant` label).
    var tenant: String = ""

    /// Whether `a` sorts before `b`: by app, environment, then route label, byte by byte.
    static func precedes(_ a: SeriesLabels, _ b: SeriesLabels, routes: PageRouteMatcher) -> Bool {
        if !a.app.utf8.elementsEqual(b.app.utf8) { return a.app.utf8.lexicographicallyPrecedes(b.app.utf8) }
        if !a.environment.utf8.elementsEqual(b.environment.utf8) {
            return a.environment.utf8.lexicographicallyPrecedes(b.environment.utf8)
        }
        let routeA = routes.label(of: a.route)
        let routeB = routes.label(of: b.route)
        if !routeA.utf8.elementsEqual(routeB.utf8) { return routeA.utf8.lexicographicallyPrecedes(routeB.utf8) }
        return a.tenant.utf8.lexicographicallyPrecedes(b.tenant.utf8)
    }
}
