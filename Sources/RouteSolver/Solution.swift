/// Routes over a ``RoutingProblem``: which vehicle visits which jobs in which order.
/// Jobs are named by their index in ``RoutingProblem/jobs``.
public struct Solution: Sendable, Equatable {
    public struct Route: Sendable, Equatable {
        public var vehicle: Int32
        public var jobs: [Int32]
        public init(vehicle: Int32, jobs: [Int32]) { self.vehicle = vehicle; self.jobs = jobs }
    }

    /// Non-empty routes, at most one per vehicle.
    public var routes: [Route]

    public init(routes: [Route]) { self.routes = routes.filter { !$0.jobs.isEmpty } }

    /// Jobs in no route, ascending.
    public func unassigned(jobCount: Int) -> [Int32] {
        var seen = [Bool](repeating: false, count: jobCount)
        for route in routes { for j in route.jobs where j >= 0 && Int(j) < jobCount { seen[Int(j)] = true } }
        return (0..<Int32(jobCount)).filter { !seen[Int($0)] }
    }
}

/// Why a job was left out of every route.
public enum UnassignedReason: String, Sendable, Equatable {
    /// No vehicle has the job's skills (or its pinned vehicle lacks them).
    case noSkilledVehicle = "no_skilled_vehicle"
    /// Even alone in a route, no suitable vehicle can reach it inside its window and get back in time.
    case windowUnreachable = "window_unreachable"
    /// Its demand exceeds every suitable vehicle's capacity.
    case exceedsCapacity = "exceeds_capacity"
    /// It fits alone, but the routes were full, or serving it cost more than its penalty.
    case noRoom = "no_room"
}
