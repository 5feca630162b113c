import Foundation

/// Whether a value from `JSONSerialization` is `true` or `false`. On Linux every JSON number comes
/// back as an NSNumber that also passes `is Bool` (0 and 1 do), so the type is read from the number's
/// Objective-C type code ("c" for booleans) instead.
func isJSONBoolean(_ value: Any?) -> Bool {
    guard let n = value as? NSNumber else { return false }
    return String(cString: n.objCType) == "c"
}
