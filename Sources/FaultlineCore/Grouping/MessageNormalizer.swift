/// Replaces the variable parts of an error message (ids, numbers, addresses, times, quoted values) with
/// placeholders, so messages that differ only in those parts group together.
///
/// The categories and their precedence follow Sentry's message parameterizer: `<email>`, `<url>`,
/// `<hostname>`, `<ip>`, `<uuid>`, `<hash>` (MD5, SHA-1, SHA-256), `<date>`, `<duration>`, `<hex>`,
/// `<float>`, `<int>`, `<quoted>`. Like Sentry's `\b\d+\b`, a number is replaced only when it stands
/// alone: `user-123` and `id=123` become `user-<int>` and `id=<int>`, while `user_123`, `abc123` and
/// `v2` are identifiers and stay as they are. A signed number standing alone (`-1`) is one value, as
/// Sentry's `-\d+\b` has it.
///
/// It is a hand-written byte scanner (no regular expressions): every byte is examined a bounded number
/// of times, so the work is linear in the input, and input beyond `maxBytes` is cut off first.
public enum MessageNormalizer {
    /// Messages longer than this many UTF-8 bytes are truncated before normalising (Sentry's limit too).
    public static let maxBytes = 8192

    /// Normalises `message`; never fails, whatever the bytes.
    public static func normalize(_ message: String) -> NormalizedMessage {
        var bytes = Array(message.utf8.prefix(maxBytes + 1))
        var truncated = 0
        if bytes.count > maxBytes {
            var cut = maxBytes
            // Back off to a scalar boundary so no character is split.
            while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            truncated = message.utf8.count - cut
            bytes.removeSubrange(cut...)
        }
        var scanner = MessageScanner(input: bytes)
        scanner.run()
        let output = scanner.output
        var start = 0, end = output.count
        while start < end && isSpace(output[start]) { start += 1 }
        while end > start && isSpace(output[end - 1]) { end -= 1 }
        let text = String(decoding: output[start..<end], as: UTF8.self)
        return NormalizedMessage(text: text, truncatedBytes: truncated, steps: scanner.steps)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
