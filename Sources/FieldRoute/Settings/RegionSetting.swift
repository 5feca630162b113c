import FieldStore
import Foundation

/// A JSON object read from outside with defaults for every field and a range check: a region's
/// setting, a simulated world. ``Engine/patched(_:current:patch:label:)`` reads one strictly.
public protocol ValidatedJSON: Codable, Sendable, Equatable {
    /// The defaults.
    init()
    /// Throws ``FieldRouteError/badInput(_:)`` naming the field and its allowed range.
    func validate() throws(FieldRouteError)
}

/// A typed setting of a region, stored as JSON in the `setting` table under ``key``. A region that
/// never saved one gets `init()`'s defaults; a value is validated before it is saved, so an
/// out-of-range setting never reaches the database.
public protocol RegionSetting: ValidatedJSON {
    static var key: String { get }
}

/// Every kind of region setting, by key: what `fieldroute settings` can show and set.
public enum RegionSettings {
    public static let kinds: [any RegionSetting.Type] = [TrackingSettings.self, BookingRules.self, CancellationSettings.self,
                                                        NoShowPolicy.self, ReminderSettings.self, UncertaintySettings.self,
                                                        TravelSettings.self]

    /// Their keys, in order.
    public static var keys: [String] {
        var out: [String] = []
        for kind in kinds { out.append(kind.key) }
        return out
    }

    static func kind(_ key: String) throws(FieldRouteError) -> any RegionSetting.Type {
        for kind in kinds where kind.key == key { return kind }
        throw .badInput("no setting '\(key)'; the settings are: \(keys.joined(separator: ", "))")
    }
}

extension Engine {
    /// The region's value of a setting, or its defaults.
    public func setting<S: RegionSetting>(_ type: S.Type, region: String? = nil) throws(FieldRouteError) -> S {
        do { return try store.snapshot { db in try Engine.setting(type, regionId: try Engine.region(named: region, db).id ?? 0, db) } }
        catch { throw FieldRouteError(wrapping: error) }
    }

    /// Validates and saves a setting for the region.
    public func save<S: RegionSetting>(_ value: S, region: String? = nil) throws(FieldRouteError) {
        try value.validate()
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self) } catch {
            throw .internalFailure("cannot encode setting \(S.key): \(error)")
        }
        do {
            try store.write { db in
                try db.saveSetting(regionId: try Engine.region(named: region, db).id ?? 0, key: S.key, json: json)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Sets a setting from JSON text (all fields, or some: the rest keep their current values; an
    /// object field merges with the current object).
    /// Returns the saved value as JSON.
    @discardableResult
    public func setSetting(key: String, json: String, region: String? = nil) throws(FieldRouteError) -> String {
        let value = try Self.patched(key: key, current: try settingJSON(key: key, region: region), patch: json)
        try save(value, region: region)
        return Self.prettyJSON(value)
    }

    /// The setting `key` whose value is `current` (JSON) with `json` applied: fields checked against
    /// the type, whole numbers where it wants them, objects merged one level deep, decoded and
    /// validated. Nothing is saved: the pure half of ``setSetting(key:json:region:)``, which the fuzzer drives.
    package static func patched(key: String, current: String, patch json: String) throws(FieldRouteError) -> any RegionSetting {
        func run<S: RegionSetting>(_ type: S.Type) throws(FieldRouteError) -> S {
            try patched(S.self, current: current, patch: json, label: "setting \(key)")
        }
        return try run(try RegionSettings.kind(key))
    }

    /// `current` (JSON of an `S`) with the JSON object `json` applied: unknown fields refused (naming
    /// the ones there are), whole numbers where `S` wants them, objects merged one level deep, then
    /// decoded and validated. Errors start with `label`.
    package static func patched<S: ValidatedJSON>(_ type: S.Type, current: String, patch json: String,
                                                  label: String) throws(FieldRouteError) -> S {
        guard let base = (try? JSONSerialization.jsonObject(with: Data(current.utf8))) as? [String: Any],
              let patch = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            throw .badInput("\(label): expected a JSON object, e.g. {\"siteRadius\": 80}")
        }
        // Optional fields that are unset do not appear in the stored JSON: the type's own properties name them all.
        let defaults = Mirror(reflecting: S()).children
        let fields = Set(base.keys).union(defaults.compactMap(\.label))
        let unknown = Set(patch.keys).subtracting(fields)
        if !unknown.isEmpty {
            throw .badInput("\(label): unknown field \(unknown.sorted().joined(separator: ", ")); fields: \(fields.sorted().joined(separator: ", "))")
        }
        // Whole numbers before decoding: the decoder's own complaint about 1.5 for an Int is "not valid JSON".
        for child in defaults where child.value is Int || child.value is Int64 {
            guard let field = child.label, let number = patch[field] as? Double, number.rounded() != number || !number.isFinite else { continue }
            throw .badInput("\(label): \(field) must be a whole number, got \(number)")
        }
        // One level deep, objects merge too: `{"templates": {"reminder": …}}` keeps the other templates.
        var merged = base
        for (field, value) in patch {
            if let inner = value as? [String: Any], let current = base[field] as? [String: Any] {
                merged[field] = current.merging(inner) { $1 }
            } else {
                merged[field] = value
            }
        }
        let value: S
        do {
            value = try JSONDecoder().decode(S.self, from: try JSONSerialization.data(withJSONObject: merged))
        } catch { throw .badInput("\(label): \(Self.describe(error))") }
        try value.validate()
        return value
    }

    /// The defaults of the setting `key` as JSON (what a region that never saved it has).
    package static func defaultJSON(key: String) throws(FieldRouteError) -> String {
        prettyJSON(try RegionSettings.kind(key).init())
    }

    /// The region's value of the setting `key` as JSON.
    public func settingJSON(key: String, region: String? = nil) throws(FieldRouteError) -> String {
        func read<S: RegionSetting>(_ type: S.Type) throws(FieldRouteError) -> String { Self.prettyJSON(try setting(type, region: region)) }
        return try read(try RegionSettings.kind(key))
    }

    static func setting<S: RegionSetting>(_ type: S.Type, regionId: Int64, _ db: StoreTransaction) throws -> S {
        guard let json = try db.settingJSON(regionId: regionId, key: S.key) else { return S() }
        do { return try JSONDecoder().decode(S.self, from: Data(json.utf8)) } catch DecodingError.keyNotFound {
            // Saved before a field was added: that field takes its default.
            do {
                guard let stored = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                      let defaults = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(S())) as? [String: Any] else {
                    throw FieldRouteError.internalFailure("stored setting \(S.key) is not a JSON object")
                }
                let merged = try JSONSerialization.data(withJSONObject: defaults.merging(stored) { $1 })
                return try JSONDecoder().decode(S.self, from: merged)
            } catch {
                throw FieldRouteError.internalFailure("stored setting \(S.key) is unreadable: \(describe(error))")
            }
        } catch {
            throw FieldRouteError.internalFailure("stored setting \(S.key) is unreadable: \(describe(error))")
        }
    }

    static func prettyJSON<S: Encodable>(_ value: S) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c), let DecodingError.dataCorrupted(c):
            return (c.codingPath.map(\.stringValue).joined(separator: ".") + ": " + c.debugDescription)
        case let DecodingError.keyNotFound(key, _): return "missing field \(key.stringValue)"
        default: return String(describing: error)
        }
    }
}
