import FieldRoute
import FieldStore
import Foundation
import Testing

@Suite struct DemoRegionTests {
    @Test func generationIsDeterministic() {
        #expect(DemoRegion.generate() == DemoRegion.generate())
        #expect(DemoRegion.generate(seed: 1) != DemoRegion.generate(seed: 2))
    }

    /// `Fixtures/demo` holds exactly what the generator writes (`fieldroute demo --export Fixtures/demo`).
    @Test func fixturesAreTheGeneratorsOutput() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let demo = DemoRegion.generate()
        for (_, name) in DemoRegion.fileOrder {
            let onDisk = try String(contentsOf: root.appendingPathComponent("Fixtures/demo/\(name)"), encoding: .utf8)
            #expect(onDisk == demo.files[name], "Fixtures/demo/\(name) is stale: run fieldroute demo --export Fixtures/demo")
        }
    }

    @Test func demoLoadsThroughTheImporter() throws {
        let engine = Engine(store: try FieldStore.inMemory())
        let summary = try engine.loadDemo()
        #expect(summary.technicians == 8)
        #expect(summary.bookings == 120)
        #expect(summary.windowWidths.values.reduce(0, +) == 120)
        #expect(Set(summary.windowWidths.keys).isSubset(of: ["1h", "2h", "3h", "4h"]))
        let bookings = try engine.bookings.list(day: DemoRegion.day)
        #expect(bookings.count == 120)
        #expect(bookings.allSatisfy { $0.status == .booked && !$0.skills.isEmpty })
    }
}
