import FieldStore
import Foundation
import Geofencing

/// What one `pings ingest` did.
public struct IngestSummary: Sendable, Codable, Equatable {
    public var file: String
    public var rows: Int
    /// Pings not seen before (re-ingesting a file stores none).
    public var stored: Int
    public var events: Int
    public var arrived: Int
    public var completed: Int
    /// Visits never seen arriving that the technician went past (seen arriving at a later stop of the
    /// route): completed by inference, each with the reason in its status history.
    public var inferredDone: Int
    /// "On the way" and "arriving in N min" messages queued.
    public var messages: Int
    public var batches: Int
}

extension Tracker {
    /// Ingests GPS pings from CSV (`technician`, `timestamp` as Unix seconds or ISO-8601 with a zone,
    /// `lat`, `lon`, optional `accuracy` (or `accuracy_m`) m, `speed` m/s, `heading` °; any other
    /// column is refused, as other imports do). The whole file is validated first; then each
    /// batch is one transaction that stores the new pings, runs the geofence detector over them,
    /// stores its events and its state, and applies their effects (a dwell at a booked site marks the
    /// booking arrived; leaving afterwards marks it completed). Re-ingesting changes nothing; a crash
    /// loses no committed batch and repeats no event.
    public func ingestPings(path: String, batchSize: Int = 5_000, settings: DetectorSettings = DetectorSettings(),
                            progress: ((Int, Int) -> Void)? = nil) throws(FieldRouteError) -> IngestSummary {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .importFailed(ImportError(file: path, line: 0, field: "", reason: "cannot read the file"))
        }
        return try ingestPings(data: data, name: path, batchSize: batchSize, settings: settings, progress: progress)
    }

    /// ``ingestPings(path:batchSize:settings:progress:)`` for CSV already in memory; `name` is used in errors.
    public func ingestPings(data: Data, name: String, batchSize: Int = 5_000, settings: DetectorSettings = DetectorSettings(),
                            progress: ((Int, Int) -> Void)? = nil) throws(FieldRouteError) -> IngestSummary {
        let path = name
        var rows = try parsePings(data: data, name: name)
        // Every row is checked before the first batch is written, technicians included: a bad file
        // writes nothing. Batches then commit one by one, so a crash keeps what was committed and a
        // re-run (idempotent) finishes the rest.
        do {
            let known = try store.read { db in try db.technicianIds() }
            if let bad = rows.first(where: { !known.contains($0.technician) }) {
                throw FieldRouteError.importFailed(ImportError(file: name, line: bad.line, field: "technician",
                                                              reason: "unknown technician '\(ExternalId.printable(bad.technician))'"))
            }
        } catch { throw FieldRouteError(wrapping: error) }
        // Batches are slices of time, whatever the order of the file's rows: the same pings make the
        // same batches, so the same events.
        rows.sort { ($0.ping.timestamp, $0.technician) < ($1.ping.timestamp, $1.technician) }
        var summary = IngestSummary(file: path, rows: rows.count, stored: 0, events: 0, arrived: 0, completed: 0, inferredDone: 0, messages: 0,
                                    batches: 0)
        var start = 0
        // One live-window tracker per technician for the whole file (not per batch): its lookups are made once.
        var trackers: [Int64: LiveWindowTracker] = [:]
        while start < rows.count {
            let batch = Array(rows[start..<min(rows.count, start + max(1, batchSize))])
            do {
                let counts = try store.write { db in try Self.ingest(batch, file: name, settings: settings, trackers: &trackers, db) }
                summary.stored += counts.stored; summary.events += counts.events
                summary.arrived += counts.arrived; summary.completed += counts.completed
                summary.inferredDone += counts.inferredDone
                summary.messages += counts.messages
            } catch { throw FieldRouteError(wrapping: error) }
            summary.batches += 1
            start += batch.count
            progress?(start, rows.count)
        }
        return summary
    }

    struct PingRow { var technician: String; var ping: Ping; var speed: Double?; var heading: Double?; var line: Int }

    func parsePings(data: Data, name: String) throws(FieldRouteError) -> [PingRow] {
        var table: TabularFile
        do {
            table = try TabularFile.parse(data: data, name: name)
            try table.checkColumns(required: ["technician", "timestamp", "lat", "lon"],
                                   optional: ["accuracy", "accuracy_m", "speed", "heading"], of: "pings")
        } catch { throw .importFailed(error) }
        if table.index["accuracy"] != nil, table.index["accuracy_m"] != nil {
            throw .importFailed(ImportError(file: name, line: 1, field: "accuracy_m", reason: "give accuracy or accuracy_m, not both"))
        }
        if let k = table.index["accuracy_m"] { table.index["accuracy"] = k }  // the common name for metres
        var out: [PingRow] = []
        out.reserveCapacity(table.rows.count)
        // Fast path for the common row (Unix seconds, plain numbers in range), read by position; any
        // other row goes through RowReader, which also words every error.
        let at = { (column: String) in table.index[column] ?? -1 }
        let (cTech, cTime, cLat, cLon) = (at("technician"), at("timestamp"), at("lat"), at("lon"))
        let (cAccuracy, cSpeed, cHeading) = (at("accuracy"), at("speed"), at("heading"))
        func number(_ values: [String?], _ k: Int, _ range: ClosedRange<Double>) -> Double?? {
            guard k >= 0, k < values.count, let text = values[k], !text.isEmpty else { return .some(nil) }
            guard let d = Double(text), range.contains(d) else { return nil }
            return .some(d)
        }
        do throws(ImportError) {
            for row in table.rows {
                let v = row.values
                if v.count > max(cTech, cTime, cLat, cLon), let tech = v[cTech], !tech.isEmpty, tech.utf8.count <= RowReader.longestValue,
                   let t = v[cTime].flatMap({ Int64($0) ?? ISO8601Instant.parse($0) }), Ping.plausibleTimestamps.contains(t), let lat = number(v, cLat, -90...90) ?? nil,
                   let lon = number(v, cLon, -180...180) ?? nil, let accuracy = number(v, cAccuracy, 0...100_000),
                   let speed = number(v, cSpeed, 0...1_000), let heading = number(v, cHeading, 0...360) {
                    out.append(PingRow(technician: tech, ping: Ping(timestamp: t, lat: lat, lon: lon, accuracy: accuracy),
                                       speed: speed, heading: heading, line: row.line))
                    continue
                }
                let r = RowReader(file: name, row: row, index: table.index)
                let raw = try r.text("timestamp")
                try r.checkLengths()
                guard let t = Int64(raw) ?? ISO8601Instant.parse(raw) else {
                    throw r.fail("timestamp", "'\(raw)' is neither Unix seconds nor ISO-8601 with a zone")
                }
                guard Ping.plausibleTimestamps.contains(t) else {
                    throw r.fail("timestamp", "\(raw) is outside 2000-01-01…2100-01-01 (Unix seconds \(Ping.plausibleTimestamps.lowerBound)…\(Ping.plausibleTimestamps.upperBound))")
                }
                let ping = Ping(timestamp: t, lat: try r.double("lat", in: -90...90), lon: try r.double("lon", in: -180...180),
                                accuracy: try r.optionalDouble("accuracy", in: 0...100_000))
                out.append(PingRow(technician: try r.id("technician"), ping: ping,
                                   speed: try r.optionalDouble("speed", in: 0...1_000),
                                   heading: try r.optionalDouble("heading", in: 0...360), line: row.line))
            }
        } catch { throw .importFailed(error) }
        return out
    }

    private struct BatchCounts { var stored = 0, events = 0, arrived = 0, completed = 0, inferredDone = 0, messages = 0 }

    private static func ingest(_ batch: [PingRow], file: String, settings: DetectorSettings, trackers: inout [Int64: LiveWindowTracker],
                               _ db: StoreTransaction) throws -> BatchCounts {
        var counts = BatchCounts()
        let technicians = try db.technicians()
        var techIds: [String: Int64] = [:]
        for t in technicians { techIds[t.externalId] = t.id }
        let writer = try db.pingWriter()
        var fresh: [Int64: [Ping]] = [:]
        for row in batch {
            guard let tech = techIds[row.technician] else {  // removed since the file was checked
                throw FieldRouteError.importFailed(ImportError(file: file, line: row.line, field: "technician",
                                                              reason: "unknown technician '\(ExternalId.printable(row.technician))'"))
            }
            if try writer.insert(technician: tech, timestamp: row.ping.timestamp, lat: row.ping.position.lat,
                                 lon: row.ping.position.lon, accuracy: row.ping.accuracy, speed: row.speed, heading: row.heading) {
                counts.stored += 1; fresh[tech, default: []].append(row.ping)
            }
        }
        guard !fresh.isEmpty else { return counts }
        let names = Dictionary(uniqueKeysWithValues: technicians.compactMap { t in t.id.map { ($0, t.externalId) } })
        var first = Int64.max, last = Int64.min
        for row in batch { first = min(first, row.ping.timestamp); last = max(last, row.ping.timestamp) }
        let fenceRows = try fencesInPlay(from: first, to: last, db)
        let fences: FenceSet
        do { fences = try FenceSet(fenceRows.map { Self.fence($0, owner: $0.technicianId.flatMap { names[$0] }) }) }
        catch { throw FieldRouteError.fence(error) }
        let fenceIds = Dictionary(uniqueKeysWithValues: fenceRows.map { ($0.externalId, $0) })
        for (tech, pings) in fresh.sorted(by: { $0.key < $1.key }) {
            var state = DetectorState()
            if let saved = try db.detectorState(technicianId: tech) {
                state = try JSONDecoder().decode(DetectorState.self, from: Data(saved.utf8))
            }
            var detector = FenceDetector(fences: fences, settings: settings, state: state, technician: names[tech])
            var windows = trackers[tech] ?? LiveWindowTracker(technicianId: tech)
            defer { trackers[tech] = windows }
            for ping in pings.sorted(by: { $0.timestamp < $1.timestamp }) {
                let seen = detector.state.lastTimestamp, seenAt = detector.state.lastPosition
                let events = detector.process(ping)
                for event in events {
                    guard let fence = fenceIds[event.fence], let fenceId = fence.id else { continue }
                    var record = GeofenceEventRecord(technicianId: tech, geofenceId: fenceId, kind: event.kind.rawValue,
                                                     timestamp: event.timestamp, detectedAt: event.detectedAt,
                                                     lat: event.position.lat, lon: event.position.lon)
                    try db.insert(&record)
                    counts.events += 1
                    if let booking = fence.bookingId {
                        try applyEffect(event, booking: booking, technician: tech, &counts, db)
                    }
                }
                // Only fixes the detector accepted (newer, plausible) move the estimates.
                if detector.state.lastTimestamp != seen {
                    counts.inferredDone += try windows.observe(ping, previous: seen, at: seenAt, events: events, db)
                }
            }
            let json = String(decoding: try JSONEncoder().encode(detector.state), as: UTF8.self)
            try db.saveDetectorState(technicianId: tech, json: json)
        }
        return counts
    }

    /// What an event at a booking's fence means, when the booking is on this technician's route:
    /// dwell at the site → arrived; exit after that → completed, and the next stop's customer is told
    /// the technician is on the way; entering the approach zone of the next stop → "arriving in N min".
    private static func applyEffect(_ event: FenceEvent, booking bookingId: Int64, technician: Int64,
                                    _ counts: inout BatchCounts, _ db: StoreTransaction) throws {
        guard let booking = try db.booking(id: bookingId),
              var stop = try db.stop(bookingId: bookingId, technicianId: technician) else { return }
        switch event.kind {
        case .dwell where booking.status.allowedNext.contains(.arrived):
            _ = try db.moveBooking(booking.externalId, to: .arrived, at: event.timestamp, reason: "geofence dwell")
            stop.actualArrival = event.timestamp
            try db.update(stop)
            counts.arrived += 1
            counts.inferredDone += try VisitInference.wentOn(past: stop, reached: booking, at: event.timestamp, db)
        case .exit where booking.status == .arrived:
            _ = try db.moveBooking(booking.externalId, to: .completed, at: event.timestamp, reason: "left the site")
            stop.actualDeparture = event.timestamp
            try db.update(stop)
            counts.completed += 1
            if let (next, nextStop) = try nextStop(routeId: stop.routeId, db) {
                counts.messages += try tellApproach(next, stop: nextStop, technician: technician, from: (booking.lat, booking.lon),
                                                    at: event.detectedAt, kind: "on_the_way", leaving: booking.externalId, db) ? 1 : 0
            }
        case .approach:
            guard let (next, nextStop) = try nextStop(routeId: stop.routeId, db), next.id == booking.id else { return }
            counts.messages += try tellApproach(next, stop: nextStop, technician: technician, from: (event.position.lat, event.position.lon),
                                                at: event.detectedAt, kind: "approach", db) ? 1 : 0
        default: break
        }
    }

    /// The first stop of the route still waiting for its technician (not arrived, not final).
    private static func nextStop(routeId: Int64, _ db: StoreTransaction) throws -> (BookingRecord, StopRecord)? {
        for stop in try db.stops(routeId: routeId) {
            guard let booking = try db.booking(id: stop.bookingId) else { continue }
            if booking.status.needsVisit && booking.status != .arrived { return (booking, stop) }
        }
        return nil
    }

    /// "Arriving" this soon (seconds) after "on the way" is merged into it.
    static let mergeApproachWithin: Int64 = 5 * 60

    /// Queues "on the way" or "arriving in about N min" for `booking` (once per booking and kind) and
    /// marks it en route. N is the region's travel model's estimate from `from`.
    /// The customer hears when the technician will ring — the arrival held to the window the visit
    /// may start in and to the promise — not when the van parks; a technician leaving a visit
    /// (`leaving`) who would ring more than 10 minutes early is told to hold.
    private static func tellApproach(_ booking: BookingRecord, stop: StopRecord, technician: Int64, from: (lat: Double, lon: Double),
                                     at: Int64, kind: String, leaving: String? = nil, _ db: StoreTransaction) throws -> Bool {
        let name = try db.technician(id: technician)?.name ?? "Your technician"
        // The region's own travel model (its matrix, or its estimate), as planning uses.
        let region = try db.region(id: booking.regionId)
        let travel = try region.map { try Engine.travelSource(for: $0, db) } ?? .estimate(TravelTimeModel())
        let drive = Int64(travel.leg(from: from, to: (booking.lat, booking.lon)).seconds.rounded())
        let rings = Promises.serviceStart(actualStart: nil, arrival: at + drive, windows: booking.timeWindows,
                                          plannedStart: stop.plannedStart, promisedStart: stop.promisedStart) ?? at + drive
        let clock = try RegionClock(timeZone: region?.timeZone ?? "UTC")
        if let leaving {
            _ = try Messages.tellLiveHold(technician: technician, from: leaving, next: booking, rings: rings, drive: drive, now: at,
                                          clock: clock, db)
        }
        let minutes = max(1, Int((Double(rings - at) / 60).rounded()))
        let held = rings - (at + drive) > 120
        let body = held
            ? (kind == "approach" ? "\(name) is nearly there and will ring at about \(clock.clockTime(rings))."
                                  : "\(name) is on the way to you and will ring at about \(clock.clockTime(rings)).")
            : kind == "approach"
            ? "\(name) is arriving in about \(minutes) min."
            : "\(name) is on the way to you and should arrive in about \(minutes) min."
        if booking.status.allowedNext.contains(.enRoute) {
            _ = try db.moveBooking(booking.externalId, to: .enRoute, at: at, reason: kind.replacingOccurrences(of: "_", with: " "))
        }
        // "Arriving" within 5 minutes of "on the way" is one message: the pending one says the nearer
        // news; one already sent is enough.
        let onTheWay = "on_the_way:\(booking.externalId)"
        if kind == "approach", let earlier = try db.outboxMessage(dedupeKey: onTheWay), at - earlier.dueAt < Self.mergeApproachWithin {
            if earlier.status == .pending { try db.rewritePending(dedupeKey: onTheWay, body: body, dueAt: earlier.dueAt) }
            return false
        }
        return try Outbox.queue(to: booking, template: kind, body: body, dueAt: at, dedupeKey: "\(kind):\(booking.externalId)", db)
    }

    /// The fences pings between `from` and `to` can trigger: every fence not tied to a booking, and
    /// the fences of bookings on those days (in their region's time) that still need their visit. A
    /// customer visited last week has a completed booking at the same address: its fence would stand
    /// on today's (site fences are exclusive) and today's arrival would never be seen.
    private static func fencesInPlay(from: Int64, to: Int64, _ db: StoreTransaction) throws -> [GeofenceRecord] {
        var days: [Int64: Set<String>] = [:]
        for region in try db.regions() {
            guard let id = region.id, let clock = try? RegionClock(timeZone: region.timeZone) else { continue }
            var day = clock.day(of: from)
            let last = clock.day(of: to)
            var set: Set<String> = [day]
            while day < last, let next = clock.day(day, plus: 1) { day = next; set.insert(day) }
            days[id] = set
        }
        var out: [GeofenceRecord] = []
        for row in try db.fences(bookingStatuses: BookingStatus.allCases.filter(\.needsVisit)) {
            if let region = row.bookingRegion, let day = row.bookingDay, !(days[region]?.contains(day) ?? false) { continue }
            out.append(row.fence)
        }
        return out
    }

    /// The detector's view of a stored fence. Site fences are exclusive: a technician is at one
    /// customer at a time; an approach zone is seen only by its owner.
    static func fence(_ r: GeofenceRecord, owner: String?) -> Fence {
        let role = FenceRole(rawValue: r.kind) ?? .area
        if let wkt = r.wkt { return Fence(id: r.externalId, shape: .polygon(wkt: wkt), role: role, owner: owner) }
        return Fence(id: r.externalId, shape: .circle(lat: r.centerLat ?? 0, lon: r.centerLon ?? 0, radius: r.radius ?? 1),
                     role: role, owner: owner)
    }
}
