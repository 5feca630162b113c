import Foundation
import FieldStore

/// Imports technicians, shifts, customers and bookings from CSV or JSON, all or nothing.
///
///     let summary = try Importer(store: store).importFile(.bookings, path: "bookings.csv")
///
/// The first bad row aborts the whole import with ``ImportError`` (`FILE:LINE: field: reason`) and the
/// database is left exactly as it was.
public struct Importer: Sendable {
    public let store: FieldStore
    /// Recorded as the bookings' creation time; Unix seconds, UTC.
    public var now: Int64

    public init(store: FieldStore, now: Int64 = Int64(Date().timeIntervalSince1970)) {
        self.store = store; self.now = now
    }

    public func importFile(_ kind: ImportKind, path: String) throws(FieldRouteError) -> ImportSummary {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .importFailed(ImportError(file: path, line: 0, field: "", reason: "cannot read the file"))
        }
        return try importData(kind, data: data, name: path)
    }

    public func importData(_ kind: ImportKind, data: Data, name: String) throws(FieldRouteError) -> ImportSummary {
        let table = try Self.table(kind, data: data, name: name)
        do {
            try store.write { db in try Self.insert(kind, table, name: name, now: now, db) }
        } catch {
            throw FieldRouteError(wrapping: error)
        }
        return ImportSummary(kind: kind, file: name, rows: table.rows.count)
    }

    /// Parses `data` and checks its columns against `kind`.
    static func table(_ kind: ImportKind, data: Data, name: String) throws(FieldRouteError) -> TabularFile {
        do {
            let table = try TabularFile.parse(data: data, name: name)
            try table.checkColumns(required: kind.requiredColumns, optional: kind.optionalColumns, of: kind.rawValue)
            return table
        } catch { throw .importFailed(error) }
    }

    /// Inserts every row of `table` inside the caller's transaction (the dispatcher's `insert_job`
    /// adds its booking this way, with the same checks as a bookings file).
    static func insert(_ kind: ImportKind, _ table: TabularFile, name: String, now: Int64, _ db: StoreTransaction) throws {
        let context = ImportContext(db: db, file: name)
        for row in table.rows {
            let r = RowReader(file: name, row: row, index: table.index)
            try r.checkLengths()
            switch kind {
            case .technicians: try context.insertTechnician(r)
            case .shifts: try context.insertShift(r)
            case .customers: try context.insertCustomer(r)
            case .bookings: try context.insertBooking(r, now: now)
            }
        }
    }

    /// The bookings of `table` as ``insert(_:_:name:now:_:)`` would store them, with the same checks,
    /// inserting nothing (ids nil): a dispatcher's what-if places a job it does not book.
    static func bookingRecords(_ table: TabularFile, name: String, now: Int64, _ db: StoreTransaction) throws -> [BookingRecord] {
        let context = ImportContext(db: db, file: name)
        return try table.rows.map { row in
            let r = RowReader(file: name, row: row, index: table.index)
            try r.checkLengths()
            return try context.bookingRecord(r, now: now)
        }
    }
}

/// Lookups shared by the rows of one import, inside its transaction.
private final class ImportContext {
    let db: StoreTransaction
    let file: String
    var seen = Set<String>()

    init(db: StoreTransaction, file: String) {
        self.db = db; self.file = file
    }

    func region(named name: String?, _ r: RowReader) throws -> RegionRecord {
        try Engine.lookUpRegion(named: name, db).get { r.fail("region", $0.message(nameIt: "name one in a region column")) }
    }

    func checkNew(_ id: String, kind: String, table: StoreTransaction.ExternalIdTable, _ r: RowReader, field: String = "id") throws {
        guard seen.insert(id).inserted else { throw r.fail(field, "duplicate id \(id) in this file") }
        let exists = try db.exists(externalId: id, in: table)
        if exists { throw r.fail(field, "\(kind) \(id) exists already") }
    }

    func technician(_ id: String, _ r: RowReader, field: String) throws -> TechnicianRecord {
        guard let t = try db.technician(externalId: id) else {
            throw r.fail(field, "unknown technician '\(id)'")
        }
        return t
    }

    func insertTechnician(_ r: RowReader) throws {
        let id = try r.id("id")
        try checkNew(id, kind: "technician", table: .technician, r)
        let region = try region(named: r.optional("region"), r)
        let lat = try r.double("start_lat", in: -90...90), lon = try r.double("start_lon", in: -180...180)
        let endLat = try r.optionalDouble("end_lat", in: -90...90), endLon = try r.optionalDouble("end_lon", in: -180...180)
        if (endLat == nil) != (endLon == nil) { throw r.fail(endLat == nil ? "end_lat" : "end_lon", "give both end_lat and end_lon, or neither") }
        var record = TechnicianRecord(externalId: id, regionId: region.id ?? 0, name: try r.text("name"),
                                      startLat: lat, startLon: lon, endLat: endLat ?? lat, endLon: endLon ?? lon,
                                      skills: try r.skills())
        try db.insert(&record)
    }

    func insertShift(_ r: RowReader) throws {
        let tech = try technician(try r.id("technician"), r, field: "technician")
        guard let region = try db.region(id: tech.regionId) else { throw r.fail("technician", "has no region") }
        let clock = try RegionClock(timeZone: region.timeZone)
        let day = try r.text("date")
        guard RegionClock.parseDay(day) != nil else { throw r.fail("date", "'\(day)' is not a date yyyy-mm-dd in 2000–2099") }
        func time(_ field: String) throws -> Int64? {
            guard let v = r.optional(field) else { return nil }
            guard let t = clock.instant(v, on: day) else { throw r.fail(field, "'\(v)' is not a time HH:MM or yyyy-mm-ddTHH:MM") }
            return t
        }
        guard let start = try time("start") else { throw r.fail("start", "empty value") }
        guard let end = try time("end") else { throw r.fail("end", "empty value") }
        guard end > start else { throw r.fail("end", "shift ends at or before it starts") }
        guard end - start <= 86_400 else { throw r.fail("end", "shift is longer than 24 h") }
        let breakStart = try time("break_start"), breakEnd = try time("break_end")
        let minutes = try r.optionalInt("break_minutes", in: 0...240) ?? 0
        if minutes > 0 {
            guard let bs = breakStart, let be = breakEnd else {
                throw r.fail(breakStart == nil ? "break_start" : "break_end", "a break needs break_start and break_end")
            }
            guard be >= bs else { throw r.fail("break_end", "break window ends before it starts") }
            guard bs >= start, be + Int64(minutes) * 60 <= end else { throw r.fail("break_start", "break lies outside the shift") }
        }
        let exists = try db.shift(technicianId: tech.id ?? 0, day: day) != nil
        guard seen.insert("\(tech.externalId)|\(day)").inserted, !exists else {
            throw r.fail("date", "technician \(tech.externalId) already has a shift on \(day)")
        }
        var record = ShiftRecord(technicianId: tech.id ?? 0, day: day, start: start, end: end,
                                 breakEarliest: minutes > 0 ? breakStart : nil, breakLatest: minutes > 0 ? breakEnd : nil,
                                 breakLength: Int64(minutes) * 60)
        try db.insert(&record)
    }

    func insertCustomer(_ r: RowReader) throws {
        let id = try r.id("id")
        try checkNew(id, kind: "customer", table: .customer, r)
        let phone = r.optional("phone"), email = r.optional("email")
        if let email, !email.contains("@") { throw r.fail("email", "not an e-mail address") }
        if let phone, phone.filter(\.isNumber).count < 6 { throw r.fail("phone", "not a phone number") }
        var channel: Channel = phone != nil ? .sms : .email
        if let raw = r.optional("channel") {
            guard let c = Channel(rawValue: raw.lowercased()) else { throw r.fail("channel", "'\(raw)' is not sms or email") }
            channel = c
        }
        var record = CustomerRecord(externalId: id, name: try r.text("name"), phone: phone, email: email,
                                    preferredChannel: channel)
        try db.insert(&record)
    }

    func insertBooking(_ r: RowReader, now: Int64) throws {
        var record = try bookingRecord(r, now: now)
        try db.insert(&record)
    }

    func bookingRecord(_ r: RowReader, now: Int64) throws -> BookingRecord {
        let id = try r.id("id")
        try checkNew(id, kind: "booking", table: .booking, r)
        let customerId = try r.id("customer")
        guard let customer = try db.customer(externalId: customerId) else {
            throw r.fail("customer", "unknown customer '\(customerId)'")
        }
        if customer.blocked {
            throw r.fail("customer", "customer \(customerId) is blocked (\(customer.blockedReason ?? "no-show policy")): "
                         + "staff can lift it with 'fieldroute customer unblock \(customerId) --note …'")
        }
        let region = try region(named: r.optional("region"), r)
        let clock = try RegionClock(timeZone: region.timeZone)
        let day = try r.text("date")
        guard RegionClock.parseDay(day) != nil else { throw r.fail("date", "'\(day)' is not a date yyyy-mm-dd in 2000–2099") }
        let lat = try r.double("lat", in: -90...90), lon = try r.double("lon", in: -180...180)
        let minutes = try r.int("duration_min", in: 1...1_440)
        var windows: [TimeWindow] = []
        for part in try r.text("windows").split(separator: ";") {
            let ends = part.split(separator: "-", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let s = clock.instant(ends[0], on: day), let e = clock.instant(ends[1], on: day) else {
                throw r.fail("windows", "'\(part)' is not a window HH:MM-HH:MM")
            }
            guard e >= s else { throw r.fail("windows", "window \(part) ends before it starts") }
            if let last = windows.last, s <= last.end { throw r.fail("windows", "windows must be in order and not overlap") }
            windows.append(TimeWindow(start: s, end: e))
        }
        var pinned: Int64? = nil
        if r.optional("technician") != nil { pinned = try technician(try r.id("technician"), r, field: "technician").id }
        var payment = PaymentStatus.none
        if let raw = r.optional("payment") {
            guard let p = PaymentStatus(rawValue: raw.lowercased()) else {
                throw r.fail("payment", "'\(raw)' is not one of none, deposit, prepaid, voucher")
            }
            payment = p
        }
        var status = BookingStatus.booked
        if let raw = r.optional("status") {
            guard let s = BookingStatus(rawValue: raw.lowercased()), [.requested, .booked, .confirmed].contains(s) else {
                throw r.fail("status", "'\(raw)' is not one of requested, booked, confirmed")
            }
            status = s
        }
        return BookingRecord(
            externalId: id, customerId: customer.id ?? 0, regionId: region.id ?? 0, lat: lat, lon: lon,
            address: r.optional("address") ?? "", serviceDuration: Int64(minutes) * 60, requiredSkills: try r.skills(),
            day: day, timeWindows: windows, priority: try r.optionalInt("priority", in: 0...100) ?? 1,
            pinnedTechnicianId: pinned, paymentStatus: payment, status: status, createdAt: now,
            siteRadius: try r.optionalDouble("site_radius_m", in: 5...5_000))
    }
}
