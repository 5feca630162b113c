import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

@Suite struct ImportTests {
    @Test func importsTheSampleFiles() throws {
        let engine = try engineWithPeople()
        let summary = try importText(engine, .bookings, sampleBookings, name: "bookings.csv")
        #expect(summary == ImportSummary(kind: .bookings, file: "bookings.csv", rows: 2))
        let bookings = try engine.bookings.list(day: "2026-11-24")
        #expect(bookings.map(\.id) == ["B-1", "B-2"])
        #expect(bookings[1].windows == ["08:00-10:00", "14:00-16:00"])
        #expect(bookings[0].skills == ["gas"])
        #expect(bookings[0].status == .booked)
        let stored = try engine.store.readDatabase { db in try BookingRecord.fetchAll(db).first { $0.externalId == "B-1" } }
        // 09:00 Paris on 24 Nov 2026 (UTC+1) is 08:00 UTC.
        #expect(stored?.timeWindows == [TimeWindow(start: 1_795_507_200, end: 1_795_514_400)])
        #expect(stored?.serviceDuration == 1_800)
        #expect(stored?.address == "12 rue Garibaldi, Lyon")
        let shift = try engine.store.readDatabase { db in try ShiftRecord.fetchOne(db) }
        #expect(shift?.breakLength == 1_800)
        let customers = try engine.store.readDatabase { db in try CustomerRecord.order(Column("externalId")).fetchAll(db) }
        #expect(customers.map(\.preferredChannel) == [.sms, .email])
    }

    @Test func importsJSONWithArraysAndNumbers() throws {
        let engine = try engineWithPeople()
        let json = """
        [
          {"id": "B-7", "customer": "C-1", "date": "2026-11-24", "lat": 45.75, "lon": 4.84,
           "duration_min": 20, "windows": ["09:00-10:00", "15:00-16:00"], "skills": ["gas"]},
          {"id": "B-8", "customer": "C-2", "date": "2026-11-24", "lat": 45.7, "lon": 4.8,
           "duration_min": 20, "windows": "10:00-12:00", "technician": "T-02"}
        ]
        """
        try importText(engine, .bookings, json, name: "b.json")
        let bookings = try engine.bookings.list()
        #expect(bookings.map(\.windows) == [["09:00-10:00", "15:00-16:00"], ["10:00-12:00"]])
    }

    @Test func jsonErrorsNameTheObjectsLine() throws {
        let engine = try engineWithPeople()
        let json = """
        [
          {"id": "B-7", "customer": "C-1", "date": "2026-11-24", "lat": 45.75, "lon": 4.84,
           "duration_min": 20, "windows": "09:00-10:00"},
          {"id": "B-8", "customer": "C-9", "date": "2026-11-24", "lat": 45.7, "lon": 4.8,
           "duration_min": 20, "windows": "10:00-12:00"}
        ]
        """
        #expect(throws: FieldRouteError.self) { try importText(engine, .bookings, json, name: "b.json") }
        do { try importText(engine, .bookings, json, name: "b.json") } catch let FieldRouteError.importFailed(error) {
            #expect(error.description == "b.json:4: customer: unknown customer 'C-9'")
        }
    }

    /// Each bad file leaves the database exactly as it was and names the line and field.
    @Test(arguments: [
        (ImportKind.bookings, "id,customer,date,lat,lon,duration_min\nB-1,C-1,2026-11-24,45,4,30\n",
         "f.csv:1: windows: missing column"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,45,4,30,09:00-10:00\nB-2,C-1,2026-11-24,abc,4,30,09:00-10:00\n",
         "f.csv:3: lat: 'abc' is not a number"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,91,4,30,09:00-10:00\n",
         "f.csv:2: lat: 91 is out of range -90.0…90.0"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,45,NaN,30,09:00-10:00\n",
         "f.csv:2: lon: 'NaN' is not a finite number"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-404,2026-11-24,45,4,30,09:00-10:00\n",
         "f.csv:2: customer: unknown customer 'C-404'"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows,technician\nB-1,C-1,2026-11-24,45,4,30,09:00-10:00,T-99\n",
         "f.csv:2: technician: unknown technician 'T-99'"),
        (.shifts, "technician,date,start,end\nT-77,2026-11-25,08:00,17:00\n", "f.csv:2: technician: unknown technician 'T-77'"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,45,4,30,09:00-10:00\nB-1,C-2,2026-11-24,45,4,30,09:00-10:00\n",
         "f.csv:3: id: duplicate id B-1 in this file"),
        (.technicians, "id,name,start_lat,start_lon\nT-01,Again,45,4\n", "f.csv:2: id: technician T-01 exists already"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,45,4,30,11:00-09:00\n",
         "f.csv:2: windows: window 11:00-09:00 ends before it starts"),
        (.shifts, "technician,date,start,end\nT-02,2026-11-25,08:00,2026-11-26T09:00\n", "f.csv:2: end: shift is longer than 24 h"),
        (.technicians, "id,name,start_lat,start_lon,skills\nT-05,Eve,45,4,gas;Heating Pro\n",
         "f.csv:2: skills: skill 'Heating Pro' must be lower-case letters, digits, '_' or '-' (e.g. gas;electric)"),
        (.customers, "", "f.csv: empty file"),
        (.customers, "id,name\n", "f.csv:1: no rows after the header"),
        (.bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-02-30,45,4,30,09:00-10:00\n",
         "f.csv:2: date: '2026-02-30' is not a date yyyy-mm-dd in 2000–2099"),
        (.customers, "id,name,fax\nC-3,Zed,123\n",
         "f.csv:1: fax: unknown column for customers; expected id, name, phone, email, channel"),
        (.customers, "id,name\nC-3,\"Zed\n", "f.csv:2: unterminated quoted field"),
    ] as [(ImportKind, String, String)])
    func badRowsChangeNothingAndSayWhere(kind: ImportKind, text: String, message: String) throws {
        let engine = try engineWithPeople()
        try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\nB-0,C-1,2026-11-24,45,4,30,09:00-10:00\n")
        let before = try fingerprint(engine.store)
        var caught: FieldRouteError?
        do { try importText(engine, kind, text, name: "f.csv") } catch let error as FieldRouteError { caught = error }
        #expect(caught?.description == message)
        #expect(caught?.isBadInput == true)
        #expect(try fingerprint(engine.store) == before)
    }

    @Test func aBadLastRowRollsBackTheGoodRowsBeforeIt() throws {
        let engine = try engineWithPeople()
        let before = try fingerprint(engine.store)
        var rows = "id,name\n"
        for k in 0..<500 { rows += "C-\(100 + k),Name \(k)\n" }
        rows += "C-100,Duplicate\n"
        #expect(throws: FieldRouteError.self) { try importText(engine, .customers, rows) }
        #expect(try fingerprint(engine.store) == before)
    }

    @Test func csvQuotingFollowsRFC4180() throws {
        let engine = try engineWithPeople()
        let text = "id,name\r\nC-10,\"Dupont, \"\"Jo\"\"\"\r\nC-11,\"two\nlines\"\r\nC-12,plain\r\n"
        try importText(engine, .customers, text)
        let names = try engine.store.readDatabase { db in
            try String.fetchAll(db, sql: "SELECT name FROM customer WHERE externalId IN ('C-10', 'C-11', 'C-12') ORDER BY externalId")
        }
        #expect(names == ["Dupont, \"Jo\"", "two\nlines", "plain"])
        // Line numbers count the embedded line break.
        let bad = "id,name\nC-20,\"a\nb\"\nC-20,again\n"
        do { try importText(engine, .customers, bad) } catch let FieldRouteError.importFailed(error) {
            #expect(error.line == 4)
        }
    }
}
