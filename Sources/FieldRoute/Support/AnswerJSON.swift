import Foundation

/// JSON answers as every caller gets them (the CLI's `--json`, dispatch, the MCP server): sorted
/// keys, pretty-printed, slashes unescaped; dispatch answers in snake_case.
public enum AnswerJSON {
    public static func text<T: Encodable>(_ value: T, snakeCase: Bool = false) throws(FieldRouteError) -> String {
        let encoder = JSONEncoder()
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw .internalFailure("cannot encode JSON: \(error)")
        }
    }
}
