/// The metadata that every item of a payload shares: which SDK, app, user, session,
/// page, browser and view it comes from.
public struct FaroMeta: Sendable, Hashable {
    /// The SDK that sent the payload.
    public var sdk: FaroSDK
    /// The application.
    public var app: FaroApp
    /// The signed-in user, if the application sets one.
    public var user: FaroUser
    /// The browser session.
    public var session: FaroSession
    /// The page.
    public var page: FaroPage
    /// The browser.
    public var browser: FaroBrowser
    /// The application's view, such as a route name.
    public var view: FaroView

    /// Creates metadata.
    public init(
        sdk: FaroSDK = FaroSDK(),
        app: FaroApp = FaroApp(),
        user: FaroUser = FaroUser(),
        session: FaroSession = FaroSession(),
        page: FaroPage = FaroPage(),
        browser: FaroBrowser = FaroBrowser(),
        view: FaroView = FaroView()
    ) {
        self.sdk = sdk
        self.app = app
        self.user = user
        self.session = session
        self.page = page
        self.browser = browser
        self.view = view
    }
}

/// The SDK that sent a payload (`meta.sdk`).
public struct FaroSDK: Sendable, Hashable {
    /// The SDK's package name, such as `@grafana/faro-web-sdk`.
    public var name: String
    /// The SDK's version.
    public var version: String
    /// The instrumentations and integrations the SDK runs.
    public var integrations: [FaroSDKIntegration]

    /// Creates SDK metadata.
    public init(name: String = "", version: String = "", integrations: [FaroSDKIntegration] = []) {
        self.name = name
        self.version = version
        self.integrations = integrations
    }
}

/// An instrumentation or integration that the SDK runs (`meta.sdk.integrations[]`).
public struct FaroSDKIntegration: Sendable, Hashable {
    /// Its package name.
    public var name: String
    /// Its version.
    public var version: String

    /// Creates an integration entry.
    public init(name: String = "", version: String = "") {
        self.name = name
        self.version = version
    }
}

/// The application that sent a payload (`meta.app`).
public struct FaroApp: Sendable, Hashable {
    /// The application's name.
    public var name: String
    /// The application's namespace.
    public var namespace: String
    /// The release, which source-map lookups use.
    public var release: String
    /// The version.
    public var version: String
    /// The deployment environment, such as `production`.
    public var environment: String

    /// Creates app metadata.
    public init(name: String = "", namespace: String = "", release: String = "", version: String = "", environment: String = "") {
        self.name = name
        self.namespace = namespace
        self.release = release
        self.version = version
        self.environment = environment
    }
}

/// The user of the page (`meta.user`).
public struct FaroUser: Sendable, Hashable {
    /// The user's email address.
    public var email: String
    /// The user's id.
    public var id: String
    /// The user's name.
    public var username: String
    /// Further attributes.
    public var attributes: FaroAttributes

    /// Creates user metadata.
    public init(email: String = "", id: String = "", username: String = "", attributes: FaroAttributes = [:]) {
        self.email = email
        self.id = id
        self.username = username
        self.attributes = attributes
    }
}

/// The browser session (`meta.session`).
public struct FaroSession: Sendable, Hashable {
    /// The session id.
    public var id: String
    /// Session attributes, such as `isSampled`.
    public var attributes: FaroAttributes

    /// Creates session metadata.
    public init(id: String = "", attributes: FaroAttributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

/// The page the items come from (`meta.page`).
public struct FaroPage: Sendable, Hashable {
    /// The page id.
    public var id: String
    /// The page URL.
    public var url: String
    /// Page attributes.
    public var attributes: FaroAttributes

    /// Creates page metadata.
    public init(id: String = "", url: String = "", attributes: FaroAttributes = [:]) {
        self.id = id
        self.url = url
        self.attributes = attributes
    }
}

/// The browser (`meta.browser`).
public struct FaroBrowser: Sendable, Hashable {
    /// The browser's name.
    public var name: String
    /// The browser's version.
    public var version: String
    /// The operating system.
    public var os: String
    /// Whether the browser runs on a mobile device.
    public var mobile: Bool
    /// The `User-Agent` string.
    public var userAgent: String
    /// The browser's language, such as `en-US`.
    public var language: String
    /// The viewport's width, as sent (a string in the Faro schema).
    public var viewportWidth: String
    /// The viewport's height, as sent.
    public var viewportHeight: String

    /// Creates browser metadata.
    public init(
        name: String = "",
        version: String = "",
        os: String = "",
        mobile: Bool = false,
        userAgent: String = "",
        language: String = "",
        viewportWidth: String = "",
        viewportHeight: String = ""
    ) {
        self.name = name
        self.version = version
        self.os = os
        self.mobile = mobile
        self.userAgent = userAgent
        self.language = language
        self.viewportWidth = viewportWidth
        self.viewportHeight = viewportHeight
    }
}

/// The application's view (`meta.view`).
public struct FaroView: Sendable, Hashable {
    /// The view's name.
    public var name: String

    /// Creates view metadata.
    public init(name: String = "") { self.name = name }
}
