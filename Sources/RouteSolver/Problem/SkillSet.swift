/// Up to 64 skills as a bit set; the problem maps skill names to bits.
public struct SkillSet: Hashable, Sendable {
    public var bits: UInt64
    public init(bits: UInt64 = 0) { self.bits = bits }
    /// True when every skill of `required` is in this set.
    @inlinable public func covers(_ required: SkillSet) -> Bool { required.bits & ~bits == 0 }
    public static let none = SkillSet()
}
