import FieldStore
import GRDB
import Testing

@Suite struct BookingLifecycleTests {
    func storeWithBooking(status: BookingStatus = .booked) throws -> FieldStore {
        let store = try FieldStore.inMemory()
        try store.writeDatabase { db in
            var region = RegionRecord(name: "r", timeZone: "UTC")
            try region.insert(db)
            var customer = CustomerRecord(externalId: "C", name: "c")
            try customer.insert(db)
            var booking = BookingRecord(externalId: "B-1", customerId: customer.id!, regionId: region.id!, lat: 0, lon: 0,
                                        address: "", serviceDuration: 600, requiredSkills: [], day: "2026-11-24",
                                        timeWindows: [TimeWindow(start: 10_000, end: 20_000)], status: status, createdAt: 0)
            try booking.insert(db)
        }
        return store
    }

    @Test func theHappyPathIsRecordedStepByStep() throws {
        let store = try storeWithBooking(status: .requested)
        for (k, next) in [BookingStatus.booked, .confirmed, .enRoute, .arrived, .completed].enumerated() {
            try store.setStatus(ofBooking: "B-1", to: next, at: Int64(k + 1))
        }
        let history = try store.readDatabase { db in try BookingStatusChangeRecord.order(Column("id")).fetchAll(db) }
        #expect(history.map(\.toStatus) == [.booked, .confirmed, .enRoute, .arrived, .completed])
        #expect(history.map(\.fromStatus) == [.requested, .booked, .confirmed, .enRoute, .arrived])
    }

    @Test(arguments: [
        (BookingStatus.requested, BookingStatus.completed), (.requested, .arrived), (.booked, .completed),
        (.booked, .requested), (.confirmed, .booked), (.enRoute, .confirmed), (.arrived, .cancelled),
        (.completed, .cancelled), (.cancelled, .booked), (.noShow, .completed), (.rescheduled, .confirmed),
        (.confirmed, .confirmed),
    ])
    func illegalStepsAreRefusedAndChangeNothing(from: BookingStatus, to: BookingStatus) throws {
        let store = try storeWithBooking(status: from)
        #expect(throws: StoreError.illegalTransition(booking: "B-1", from: from, to: to)) {
            try store.setStatus(ofBooking: "B-1", to: to, at: 5)
        }
        let (status, changes) = try store.readDatabase { db in
            (try BookingRecord.fetchOne(db)!.status, try BookingStatusChangeRecord.fetchCount(db))
        }
        #expect(status == from)
        #expect(changes == 0)
    }

    @Test func cancellingKeepsReasonTimeAndLeadTime() throws {
        let store = try storeWithBooking()
        let booking = try store.setStatus(ofBooking: "B-1", to: .cancelled, at: 6_400, reason: "forgot")
        #expect(booking.cancelledAt == 6_400)
        #expect(booking.cancellationReason == "forgot")
        #expect(booking.cancellationLeadTime == 3_600)
    }

    @Test func unknownBookingIsNamed() throws {
        let store = try storeWithBooking()
        #expect(throws: StoreError.notFound(kind: "booking", id: "B-9")) {
            try store.setStatus(ofBooking: "B-9", to: .confirmed, at: 1)
        }
    }

    @Test func errorMessageListsWhatIsAllowed() {
        let error = StoreError.illegalTransition(booking: "B-1", from: .arrived, to: .cancelled)
        #expect(error.description == "booking B-1: cannot go from arrived to cancelled (allowed from arrived: completed, no_show)")
        #expect(StoreError.illegalTransition(booking: "B", from: .completed, to: .booked).description.hasSuffix("none, it is final)"))
    }
}
