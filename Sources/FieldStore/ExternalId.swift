/// The caller's identifiers ("C-1042", "B-2001"): compared byte for byte, and refused when they hold
/// a NUL or another control character, which SQLite and C APIs would cut or mangle.
public enum ExternalId {
    /// Throws ``StoreError/badIdentifier(field:value:)`` for an id with a control character.
    public static func check(_ value: String, field: String) throws(StoreError) {
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .badIdentifier(field: field, value: value)
        }
    }

    /// The id with control characters shown as `\u{…}`, for error messages.
    public static func printable(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
