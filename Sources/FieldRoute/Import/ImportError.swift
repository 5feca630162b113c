/// A file that could not be imported: `FILE:LINE: field: reason`. Nothing was written.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the offending row (CSV) or object (JSON); 0 for the file as a whole.
    public var line: Int
    /// The column or key, or "" when the whole row or file is at fault.
    public var field: String
    public var reason: String

    public init(file: String, line: Int, field: String, reason: String) {
        self.file = file; self.line = line; self.field = field; self.reason = reason
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return field.isEmpty ? "\(place): \(reason)" : "\(place): \(field): \(reason)"
    }
}
