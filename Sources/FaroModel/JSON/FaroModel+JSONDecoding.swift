// The member lists of the payload model, as Alloy's Go structs tag them, and how each member is read.

extension FaroPayload: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(logs: []) }
    static let fieldNames = JSONFieldNames("exceptions", "logs", "measurements", "events", "meta", "traces")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeArray(into: &exceptions, slice: .exceptions, countsItems: true)
        case 1: try reader.decodeArray(into: &logs, slice: .logs, countsItems: true)
        case 2: try reader.decodeArray(into: &measurements, slice: .measurements, countsItems: true)
        case 3: try reader.decodeArray(into: &events, slice: .events, countsItems: true)
        case 4: try reader.decodeObject(into: &meta)
        default: try reader.decodeTraces(into: &traces)
        }
    }
}

extension FaroLog: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(message: "") }
    static let fieldNames = JSONFieldNames("message", "level", "context", "timestamp", "trace")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &message)
        case 1: try reader.decodeString(into: &level.rawValue)
        case 2: try reader.decodeAttributes(into: &context)
        case 3: try reader.decodeTimestamp(into: &timestamp)
        default: try reader.decodeObject(into: &trace)
        }
    }
    mutating func restoreMapOrder() {
        context.restoreOrder()
    }
}

extension FaroException: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(type: "") }
    static let fieldNames = JSONFieldNames("type", "value", "stacktrace", "timestamp", "trace", "context")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &type)
        case 1: try reader.decodeString(into: &value)
        case 2:
            try reader.decodeOptionalObject(into: &stacktrace)
            // `null` sets the pointer to nil: its frames go with it.
            if stacktrace == nil { reader.cutOffElements.forget(.frames(exception: reader.exceptionIndex)) }
        case 3: try reader.decodeTimestamp(into: &timestamp)
        case 4: try reader.decodeObject(into: &trace)
        default: try reader.decodeAttributes(into: &context)
        }
    }
    mutating func restoreMapOrder() {
        context.restoreOrder()
    }
}

extension FaroStacktrace: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(frames: []) }
    static let fieldNames = JSONFieldNames("frames")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        try reader.decodeArray(into: &frames, slice: .frames(exception: reader.exceptionIndex))
    }
}

extension FaroStackFrame: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(function: "") }
    static let fieldNames = JSONFieldNames("function", "module", "filename", "lineno", "colno")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &function)
        case 1: try reader.decodeString(into: &module)
        case 2: try reader.decodeString(into: &filename)
        case 3: try reader.decodeInt(into: &lineno)
        default: try reader.decodeInt(into: &colno)
        }
    }
}

extension FaroMeasurement: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(type: "") }
    static let fieldNames = JSONFieldNames("type", "values", "timestamp", "trace", "context")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &type)
        case 1: try reader.decodeMap(into: &values) { (reader: inout FaroJSONReader) throws(FaroDecodingError) in try reader.decodeDouble() }
        case 2: try reader.decodeTimestamp(into: &timestamp)
        case 3: try reader.decodeObject(into: &trace)
        default: try reader.decodeAttributes(into: &context)
        }
    }
    mutating func restoreMapOrder() {
        values.restoreOrder()
        context.restoreOrder()
    }
}

extension FaroEvent: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames("name", "domain", "attributes", "timestamp", "trace")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &name)
        case 1: try reader.decodeString(into: &domain)
        case 2: try reader.decodeAttributes(into: &attributes)
        case 3: try reader.decodeTimestamp(into: &timestamp)
        default: try reader.decodeObject(into: &trace)
        }
    }
    mutating func restoreMapOrder() {
        attributes.restoreOrder()
    }
}

extension FaroTraceContext: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(traceID: "") }
    static let fieldNames = JSONFieldNames("trace_id", "span_id")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        if field == 0 { try reader.decodeString(into: &traceID) } else { try reader.decodeString(into: &spanID) }
    }
}

extension FaroMeta: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(sdk: FaroSDK()) }
    static let fieldNames = JSONFieldNames("sdk", "app", "user", "session", "page", "browser", "view")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeObject(into: &sdk)
        case 1: try reader.decodeObject(into: &app)
        case 2: try reader.decodeObject(into: &user)
        case 3: try reader.decodeObject(into: &session)
        case 4: try reader.decodeObject(into: &page)
        case 5: try reader.decodeObject(into: &browser)
        default: try reader.decodeObject(into: &view)
        }
    }
}

extension FaroSDK: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames("name", "version", "integrations")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &name)
        case 1: try reader.decodeString(into: &version)
        default: try reader.decodeArray(into: &integrations, slice: .integrations)
        }
    }
}

extension FaroSDKIntegration: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames("name", "version")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        if field == 0 { try reader.decodeString(into: &name) } else { try reader.decodeString(into: &version) }
    }
}

extension FaroApp: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames("name", "namespace", "release", "version", "environment")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &name)
        case 1: try reader.decodeString(into: &namespace)
        case 2: try reader.decodeString(into: &release)
        case 3: try reader.decodeString(into: &version)
        default: try reader.decodeString(into: &environment)
        }
    }
}

extension FaroUser: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(email: "") }
    static let fieldNames = JSONFieldNames("email", "id", "username", "attributes")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &email)
        case 1: try reader.decodeString(into: &id)
        case 2: try reader.decodeString(into: &username)
        default: try reader.decodeAttributes(into: &attributes)
        }
    }
    mutating func restoreMapOrder() {
        attributes.restoreOrder()
    }
}

extension FaroSession: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(id: "") }
    static let fieldNames = JSONFieldNames("id", "attributes")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        if field == 0 { try reader.decodeString(into: &id) } else { try reader.decodeAttributes(into: &attributes) }
    }
    mutating func restoreMapOrder() {
        attributes.restoreOrder()
    }
}

extension FaroPage: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(id: "") }
    static let fieldNames = JSONFieldNames("id", "url", "attributes")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &id)
        case 1: try reader.decodeString(into: &url)
        default: try reader.decodeAttributes(into: &attributes)
        }
    }
    mutating func restoreMapOrder() {
        attributes.restoreOrder()
    }
}

extension FaroBrowser: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames(
        "name", "version", "os", "mobile", "userAgent", "language", "viewportWidth", "viewportHeight")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        switch field {
        case 0: try reader.decodeString(into: &name)
        case 1: try reader.decodeString(into: &version)
        case 2: try reader.decodeString(into: &os)
        case 3: try reader.decodeBool(into: &mobile)
        case 4: try reader.decodeString(into: &userAgent)
        case 5: try reader.decodeString(into: &language)
        case 6: try reader.decodeString(into: &viewportWidth)
        default: try reader.decodeString(into: &viewportHeight)
        }
    }
}

extension FaroView: JSONObjectDecodable {
    /// Creates an empty value, Go's zero value.
    public init() { self.init(name: "") }
    static let fieldNames = JSONFieldNames("name")
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError) {
        try reader.decodeString(into: &name)
    }
}
