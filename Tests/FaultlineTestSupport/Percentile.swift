/// Percentiles of measured samples, the same way in every benchmark and test.
public enum Percentile {
    /// The sample at `fraction` (0...1) of `sorted`, rounding the rank down; `fraction` 1 is the maximum.
    /// `sorted` must be non-empty and in ascending order.
    public static func value<T: Comparable>(in sorted: [T], at fraction: Double) -> T {
        sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
