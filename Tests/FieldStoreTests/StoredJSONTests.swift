@testable import FieldStore
import GRDB
import Testing

/// Bookings are read column by column, their JSON columns by a direct parser with the generic
/// decoder behind it: every value reads back as it was written.
@Suite struct StoredJSONTests {
    @Test(arguments: [
        [], ["gas"], ["gas", "electric", "heating"], ["a \"quoted\" skill"], ["back\\slash"], ["élec", "x,y", "[z]"], [""],
    ] as [[String]])
    func skillsReadBackAsWritten(skills: [String]) throws {
        let store = try FieldStore.inMemory()
        try store.writeDatabase { db in
            var region = RegionRecord(name: "lyon", timeZone: "Europe/Paris")
            try region.insert(db)
            var customer = CustomerRecord(externalId: "C-1", name: "Léa")
            try customer.insert(db)
            var booking = BookingRecord(externalId: "B-1", customerId: customer.id ?? 0, regionId: region.id ?? 0, lat: 45.7, lon: 4.8,
                                        address: "", serviceDuration: 600, requiredSkills: skills, day: "2026-11-24",
                                        timeWindows: [TimeWindow(start: -5, end: 1_795_510_800), TimeWindow(start: 1_795_520_000, end: 1_795_530_000)],
                                        createdAt: 1)
            try booking.insert(db)
            #expect(try BookingRecord.fetchOne(db, key: booking.id) == booking)
        }
    }

    @Test func windowsTheParserDoesNotKnowGoToTheDecoder() {
        #expect(StoredJSON.parseWindows(#"[{"end":2,"start":1},{"start":3,"end":4}]"#) == [TimeWindow(start: 1, end: 2), TimeWindow(start: 3, end: 4)])
        #expect(StoredJSON.parseWindows("[]") == [])
        for odd in [#"[{"end":2.5,"start":1}]"#, #"[{"end":2,"start":1,"x":3}]"#, #"[{"end":2}]"#, #"[{"end":2,"start":1}"#, "", "null",
                    #"[ {"end":2,"start":1}]"#, #"[{"end":99999999999999999999,"start":1}]"#] {
            #expect(StoredJSON.parseWindows(odd) == nil, "\(odd)")
        }
        #expect(StoredJSON.parseStrings(#"["a","b"]"#) == ["a", "b"])
        #expect(StoredJSON.parseStrings(#"["a\"b"]"#) == nil)
        #expect(StoredJSON.parseStrings(#"["a", "b"]"#) == nil)
    }
}
