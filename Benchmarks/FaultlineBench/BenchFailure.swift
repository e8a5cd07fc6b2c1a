/// A benchmark that could not run (missing input, a server that did not start); exits 1 with the message.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
