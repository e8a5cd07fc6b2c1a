/// An error message with its variable parts replaced by placeholders.
public struct NormalizedMessage: Sendable, Hashable, Codable {
    /// The message with `<int>`, `<uuid>`, `<quoted>`… in place of variable parts.
    public var text: String
    /// How many bytes of the original message were cut off before normalising (0 when it was whole).
    public var truncatedBytes: Int
    /// Bytes examined while normalising: a machine-independent measure of work, linear in the input.
    public var steps: Int

    public init(text: String, truncatedBytes: Int = 0, steps: Int = 0) {
        self.text = text
        self.truncatedBytes = truncatedBytes
        self.steps = steps
    }
}
