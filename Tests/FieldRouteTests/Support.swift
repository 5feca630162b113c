import FieldRoute
import FieldStore
import Foundation
import GRDB

/// A fresh engine on an in-memory database with one region in Europe/Paris. Every write checks the
/// day's invariants unless `checked` is false (for tests that fabricate history by hand).
func makeEngine(checked: Bool = true) throws -> Engine {
    let engine = Engine(store: try FieldStore.inMemory(checksInvariants: checked))
    try engine.createRegion(name: "lyon", timeZone: "Europe/Paris")
    return engine
}

/// Row counts and a hash of every row of every table: equal fingerprints mean an unchanged database.
func fingerprint(_ store: FieldStore) throws -> String {
    try store.readDatabase { db in
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        var hasher = FNV1a()
        var counts: [String] = []
        for table in tables {
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid")
            counts.append("\(table)=\(rows.count)")
            for row in rows { hasher.add(row.description) }
        }
        return counts.joined(separator: ",") + "#\(hasher.value)"
    }
}

struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ text: String) {
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
}

/// Imports text as if from a file called `name`.
@discardableResult
func importText(_ engine: Engine, _ kind: ImportKind, _ text: String, name: String = "file.csv") throws -> ImportSummary {
    try Importer(store: engine.store, now: 1_000).importData(kind, data: Data(text.utf8), name: name)
}

let sampleTechnicians = """
id,name,start_lat,start_lon,skills
T-01,Ana,45.76,4.85,gas;heating
T-02,Ben,45.70,4.80,electric

"""
let sampleCustomers = """
id,name,phone,email
C-1,Léa,+33 6 11 22 33 44,lea@example.org
C-2,Max,,max@example.org

"""
let sampleShifts = """
technician,date,start,end,break_start,break_end,break_minutes
T-01,2026-11-24,08:00,17:00,12:00,13:30,30
T-02,2026-11-24,07:30,16:00,,,

"""
let sampleBookings = """
id,customer,date,lat,lon,address,duration_min,windows,skills,priority
B-1,C-1,2026-11-24,45.75,4.84,"12 rue Garibaldi, Lyon",30,09:00-11:00,gas,1
B-2,C-2,2026-11-24,45.72,4.82,"1 quai Perrache, Lyon",45,08:00-10:00;14:00-16:00,,2

"""

/// A database with the sample technicians, customers and shifts.
func engineWithPeople() throws -> Engine {
    let engine = try makeEngine()
    try importText(engine, .technicians, sampleTechnicians)
    try importText(engine, .customers, sampleCustomers)
    try importText(engine, .shifts, sampleShifts)
    return engine
}

/// A database with one technician (T-01 "Ana", home `home`), the sample customers, a shift on `day`
/// (08:00–17:00 unless given as a shifts row's tail, e.g. "11:30,17:00,12:00,12:00,60"), then `bookings`.
func oneTechnicianDay(day: String = "2026-11-24", home: String = "45.76,4.84", end: String? = nil, shift: String = "08:00,17:00",
                      bookings: String? = nil) throws -> Engine {
    let engine = try makeEngine()
    try importText(engine, .technicians, "id,name,start_lat,start_lon,end_lat,end_lon\nT-01,Ana,\(home),\(end ?? home)\n")
    try importText(engine, .customers, sampleCustomers)
    let breaks = shift.split(separator: ",").count > 2 ? ",break_start,break_end,break_minutes" : ""
    try importText(engine, .shifts, "technician,date,start,end\(breaks)\nT-01,\(day),\(shift)\n")
    if let bookings { try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\n" + bookings) }
    return engine
}

extension BookingRecord {
    /// The booking with this external id, read straight from the rows (tests look at the store directly).
    static func fetch(externalId: String, in db: Database) throws -> BookingRecord {
        guard let booking = try BookingRecord.filter(Column("externalId") == externalId).fetchOne(db) else {
            throw StoreError.notFound(kind: "booking", id: externalId)
        }
        return booking
    }
}
