import Foundation

/// One `/metrics` answer, parsed: each sample line's series (`name{labels}`) and value.
struct MetricsScrape {
    let text: String
    let samples: [String: Double]

    init(_ text: String) {
        self.text = text
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        self.samples = samples
    }

    /// The value of one series, 0 when it is not there yet.
    subscript(_ series: String) -> Double {
        samples[series] ?? 0
    }

    /// Metric names (without labels or the histogram suffixes' labels) of every sample.
    var names: Set<String> {
        Set(samples.keys.map { key in key.firstIndex(of: "{").map { String(key[..<$0]) } ?? key })
    }
}
