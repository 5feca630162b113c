import Foundation
@testable import RouteSolver
import Testing

@Suite struct InstanceReaderTests {
    let solomon = """
    TINY1\r
    \r
    VEHICLE\r
    NUMBER     CAPACITY\r
      2         50\r
    \r
    CUSTOMER\r
    CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r
    \r
        0      0          0          0          0       1000          0\r
        1      3          4         10          0        100         10\r
        2      0          1          5         20         60          5\r

    """

    @Test func readsSolomonWithDimacsDistances() throws {
        let instance = try Instance.parse(solomon, file: "tiny.txt")
        #expect(instance.name == "TINY1")
        #expect(instance.problem.vehicles.count == 2)
        #expect(instance.problem.vehicles[0].capacity == 50)
        #expect(instance.problem.vehicles[0].shift == TimeWindow(0, 10_000))
        #expect(instance.problem.travel.distance(0, 1) == 50)
        // √(9 + 9) = 4.2426… → 42 tenths.
        #expect(instance.problem.travel.distance(1, 2) == 42)
        #expect(instance.problem.jobs[1] == Job(location: 2, service: 50, windows: [TimeWindow(200, 600)], demand: 5))
        #expect(instance.jobNumbers == [1, 2])
    }

    let vrplib = """
    NAME : tiny
    TYPE : VRPTW
    DIMENSION : 3
    VEHICLES : 2
    CAPACITY : 50
    SERVICE_TIME : 10
    EDGE_WEIGHT_TYPE : EUC_2D
    NODE_COORD_SECTION
    1 0 0
    2 3 4
    3 0 1
    DEMAND_SECTION
    1 0
    2 10
    3 5
    TIME_WINDOW_SECTION
    1 0 1000
    2 0 100
    3 20 60
    DEPOT_SECTION
    1
    -1
    EOF
    """

    @Test func readsVRPLIB() throws {
        let instance = try Instance.parse(vrplib, file: "tiny.vrp")
        #expect(instance.name == "tiny")
        #expect(instance.problem.jobs.map(\.service) == [100, 100])
        #expect(instance.problem.jobs[1].windows == [TimeWindow(200, 600)])
        #expect(instance.problem.travel.distance(1, 2) == 42)
    }

    @Test(arguments: [
        ("TINY\nVEHICLE\nNUMBER CAPACITY\n2 x\n", "f:4: expected NUMBER CAPACITY, two positive integers"),
        ("TINY\nVEHICLE\n2 50\nCUSTOMER\n0 0 0 0 0 100 0\n1 1 1 1 50 10 0\n", "f:6: ready time 50 after due date 10"),
        ("TINY\nVEHICLE\n2 50\nCUSTOMER\n0 0 0 0 0 100 0\n1 1 one 1 0 10 0\n", "f:6: customer row has a non-number"),
        ("TINY\nVEHICLE\n2 50\nCUSTOMER\n0 0 0 0 0 100 0\n2 1 1 1 0 10 0\n", "f:6: customer number 2, expected 1"),
        ("TINY\nVEHICLE\n2 50\nCUSTOMER\n0 0 0 0 0 100 0\n1 1 1 1 0 10\n", "f:6: customer row needs 7 numbers, found 6"),
        ("", "f: empty file"),
    ])
    func badSolomonFilesSayWhere(text: String, message: String) {
        #expect(throws: InstanceError.self) { try SolomonReader.parse(text, file: "f") }
        do { _ = try SolomonReader.parse(text, file: "f") } catch { #expect(error.description == message) }
    }

    @Test func badVRPLIBFilesSayWhere() {
        let cases = [
            (vrplib.replacingOccurrences(of: "2 3 4", with: "2 3 x"), "f:10: 'x' is not a number"),
            (vrplib.replacingOccurrences(of: "DIMENSION : 3", with: "DIMENSION : three"), "f:3: DIMENSION must be an integer ≥ 2"),
            (vrplib.replacingOccurrences(of: "3 20 60", with: "3 60 20"), "f:19: node 3: window opens after it closes"),
            (vrplib.replacingOccurrences(of: "3 5\nTIME", with: "TIME"), "f:14: DEMAND_SECTION has no row for node 3"),
        ]
        for (text, message) in cases {
            do { _ = try VRPLIBReader.parse(text, file: "f"); Issue.record("accepted: \(message)") } catch {
                #expect(error.description == message)
            }
        }
    }

    /// Issue 17: values that crashed the reader (unchecked conversions, ×10 overflows) or allocated what
    /// the file declared (1e9 vehicles, DIMENSION 1e9), and files solved as given although they cannot be.
    @Test(arguments: [
        ("0      0          0", "0      1000000000 0", "f:10: coordinate x 1000000000.0 is outside ±1000000"),
        ("0      0          0", "0      0 1e300", "f:10: coordinate y 1e+300 is outside ±1000000"),
        ("0       1000          0", "0 1000000000000000000 0", "f:10: due date 1e+18 is outside 0…100000000"),
        ("20         60          5", "20 60 1000000000000000000", "f:12: service time 1e+18 is outside 0…100000000"),
        ("2         50", "1000000000 50", "f:5: vehicle number 1000000000 is outside 1…100000"),
        ("10          0        100", "60          0        100", "f:11: job 1: demand 60 exceeds every vehicle's capacity 50"),
        ("20         60          5", "2000       3000       5", "f:12: job 2: window 2000–3000 lies outside the depot's horizon 0–1000"),
        ("5         20", "5.5 20", "f:12: demand 5.5 is not a whole number"),
    ])
    func hostileSolomonValuesAreRefusedWithTheirLine(replacing: String, with: String, message: String) {
        let text = solomon.replacingOccurrences(of: replacing, with: with)
        #expect(text != solomon, "the case changes the file")
        do { _ = try SolomonReader.parse(text, file: "f"); Issue.record("accepted: \(message)") } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        ("2 10\n", "2 1e300\n", "f:14: node 2: demand 1e+300 is outside 0…1000000000"),
        ("2 0 100", "2 0 1e300", "f:18: node 2: due time 1e+300 is outside 0…100000000"),
        ("2 0 100", "2 0 9e18", "f:18: node 2: due time 9e+18 is outside 0…100000000"),
        ("SERVICE_TIME : 10", "SERVICE_TIME : 1e300", "f:6: SERVICE_TIME 1e+300 is outside 0…100000000"),
        ("DIMENSION : 3", "DIMENSION : 1000000000", "f:3: DIMENSION 1000000000 is more nodes than the file's 23 lines can hold (at most 1000000)"),
        ("VEHICLES : 2", "VEHICLES : 1000000000", "f:4: VEHICLES 1000000000 is outside 1…100000"),
        ("2 3 4", "2 3e9 4", "f:10: node 2: coordinate x 3000000000.0 is outside ±1000000"),
        ("DEPOT_SECTION", "SKILL_SECTION\n2 gas\nDEPOT_SECTION",
         "f:20: unknown section SKILL_SECTION (read: DEMAND_SECTION, DEPOT_SECTION, NODE_COORD_SECTION, SERVICE_TIME_SECTION, TIME_WINDOW_SECTION)"),
        ("TYPE : VRPTW", "DISTANCE : 100", "f:2: unknown header DISTANCE (read: CAPACITY, COMMENT, DIMENSION, EDGE_WEIGHT_TYPE, NAME, SERVICE_TIME, TYPE, VEHICLES)"),
        ("2 10\n", "2 260\n", "f:14: job 1: demand 260 exceeds every vehicle's capacity 50"),
        ("3 20 60", "3 2000 3000", "f:19: job 2: window 2000–3000 lies outside the depot's horizon 0–1000"),
    ])
    func hostileVRPLIBValuesAreRefusedWithTheirLine(replacing: String, with: String, message: String) {
        let text = vrplib.replacingOccurrences(of: replacing, with: with)
        #expect(text != vrplib, "the case changes the file")
        do { _ = try VRPLIBReader.parse(text, file: "f"); Issue.record("accepted: \(message)") } catch {
            #expect(error.description == message)
        }
    }

    /// Found by `make fuzz`: a line of a lone ":" indexed an empty split.
    @Test func aLoneColonIsAnUnknownHeader() {
        do { _ = try VRPLIBReader.parse(":", file: "f"); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix("f:1: unknown header  (read:"))
        }
    }

    @Test func moreVehiclesThanCustomersAreNeverBuilt() throws {
        let text = solomon.replacingOccurrences(of: "2         50", with: "100000 50")
        #expect(try Instance.parse(text, file: "f").problem.vehicles.count == 2)
    }

    @Test func readsSolutionFiles() throws {
        let sol = try SolutionFile.parse("Route #1: 2 1\nRoute #2: \nCost 13.2\n", file: "s.sol")
        #expect(sol.routes == [[2, 1], []])
        #expect(sol.cost == 13.2)
        let instance = try Instance.parse(solomon, file: "tiny.txt")
        #expect(try sol.solution(for: instance) == Solution(routes: [.init(vehicle: 0, jobs: [1, 0])]))
        #expect(throws: InstanceError.self) { try SolutionFile.parse("Route #1: 1 x\n", file: "s.sol") }
    }
}
