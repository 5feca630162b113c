/// `values` sorted ascending, by least-significant-digit radix sort on their offsets from the
/// minimum (11 bits a pass; a day of seconds takes two). The same result as `sorted()`, several
/// times faster on the Monte Carlo's thousands of samples a stop, where the generic stable sort
/// was a tenth of a dispatch call.
func radixSorted(_ values: [Int64]) -> [Int64] {
    guard values.count > 64, let low = values.min(), let high = values.max() else { return values.sorted() }
    // The span is at most 2^64 - 1: as UInt64 the offsets never overflow.
    let span = UInt64(bitPattern: high &- low)
    guard span > 0 else { return values }
    let bits = 64 - span.leadingZeroBitCount, digit = 11, buckets = 1 << digit
    var from = values.map { UInt64(bitPattern: $0 &- low) }
    var to = [UInt64](repeating: 0, count: values.count)
    var counts = [Int](repeating: 0, count: buckets)
    var shift = 0
    while shift < bits {
        from.withUnsafeBufferPointer { src in
            to.withUnsafeMutableBufferPointer { dst in
                counts.withUnsafeMutableBufferPointer { count in
                    for k in 0..<buckets { count[k] = 0 }
                    let mask = UInt64(buckets - 1)
                    for v in src { count[Int((v >> UInt64(shift)) & mask)] += 1 }
                    var total = 0
                    for k in 0..<buckets { let c = count[k]; count[k] = total; total += c }
                    for v in src {
                        let b = Int((v >> UInt64(shift)) & mask)
                        dst[count[b]] = v
                        count[b] += 1
                    }
                }
            }
        }
        swap(&from, &to)
        shift += digit
    }
    return from.map { Int64(bitPattern: $0) &+ low }
}
