/// Replaces the variable parts of an error message (ids, numbers, addresses, times, quoted values) with
/// placeholders, so messages that differ only in those parts group together.
///
/// The categories and their precedence follow Sentry's message parameterizer: `<email>`, `<url>`,
/// `<hostname>`, `<ip>`, `<uuid>`, `<hash>` (MD5, SHA-1, SHA-256), `<date>`, `<duration>`, `<hex>`,
/// `<float>`, `<int>`, `<quoted>`. Like Sentry's `\b\d+\b`, a number is replaced only when it stands
/// alone: `user-123` and `id=123` become `user-<int>` and `id=<int>`, while `user_123`, `abc123` and
/// `v2` are identifiers and stay as they are.
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
        let text = String(decoding: scanner.output, as: UTF8.self)
        return NormalizedMessage(text: trimmed(text), truncatedBytes: truncated, steps: scanner.steps)
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
