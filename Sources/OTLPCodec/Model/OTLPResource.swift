/// The entity that produced telemetry (`Resource`): its attributes, such as `service.name`.
public struct OTLPResource: Sendable, Hashable {
    /// The resource attributes.
    public var attributes: [OTLPKeyValue]
    /// How many attributes were dropped (for limits).
    public var droppedAttributesCount: UInt32
    /// References to the entities that make up the resource.
    public var entityRefs: [OTLPEntityRef]

    /// Creates a resource.
    public init(attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0, entityRefs: [OTLPEntityRef] = []) {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.entityRefs = entityRefs
    }
}

/// A reference to an entity among a resource's attributes (`EntityRef`).
public struct OTLPEntityRef: Sendable, Hashable {
    /// The schema URL of the entity's type.
    public var schemaURL: String
    /// The entity type, such as `service`.
    public var type: String
    /// The attribute keys that identify the entity.
    public var idKeys: [String]
    /// The attribute keys that describe the entity.
    public var descriptionKeys: [String]

    /// Creates a reference.
    public init(schemaURL: String = "", type: String, idKeys: [String] = [], descriptionKeys: [String] = []) {
        self.schemaURL = schemaURL
        self.type = type
        self.idKeys = idKeys
        self.descriptionKeys = descriptionKeys
    }
}

/// The library that produced telemetry (`InstrumentationScope`).
public struct OTLPInstrumentationScope: Sendable, Hashable {
    /// The scope name, such as `@grafana/faro-web-tracing`.
    public var name: String
    /// The scope version.
    public var version: String
    /// The scope attributes.
    public var attributes: [OTLPKeyValue]
    /// How many attributes were dropped.
    public var droppedAttributesCount: UInt32

    /// Creates a scope.
    public init(name: String = "", version: String = "", attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
