/// The rule for tenant names: Loki's and Mimir's for `X-Scope-OrgID` (at most 150 of the
/// characters `a-z A-Z 0-9 ! - _ . * ' ( )`, and not `.` or `..`), which also makes them safe
/// in file names.
public enum TenantName {
    /// Whether `name` is a valid tenant name.
    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 150, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "!"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "'"),
                UInt8(ascii: "("), UInt8(ascii: ")"):
                true
            default: false
            }
        }
    }
}
