@testable import ArrivalWindows
import Testing

/// The Monte Carlo's sort must give exactly what `sorted()` gives, whatever the values.
@Suite struct RadixSortTests {
    @Test(arguments: [0, 1, 63, 65, 1_600, 5_000])
    func sortsAsTheStandardLibraryDoes(count: Int) {
        var rng = SplitMix(state: UInt64(count) &+ 17)
        let spans: [(Int64, Int64)] = [(1_795_500_000, 1_795_590_000), (-5, 5), (.min, .max), (0, 1), (42, 42), (-1 << 40, 1 << 50)]
        for (low, high) in spans {
            let values = (0..<count).map { _ in
                low == high ? low : low &+ Int64(bitPattern: rng.next() % (UInt64(bitPattern: high &- low) &+ 1 == 0 ? .max : UInt64(bitPattern: high &- low) &+ 1))
            }
            #expect(radixSorted(values) == values.sorted(), "\(count) values in \(low)...\(high)")
        }
        let edges: [Int64] = Array(repeating: .min, count: count / 2) + Array(repeating: .max, count: count - count / 2)
        #expect(radixSorted(edges.reversed()) == edges)
    }

}
