/// A query string made safe for logs: parameter names kept, the values of credential-like names and
/// credential-like values replaced by `REDACTED`, everything cut short. A token put in a URL by mistake
/// (`?api_key=…`, `?token=…`, or a bare long secret) never reaches a log line.
enum QueryRedaction {
    static let placeholder = "REDACTED"
    /// Name parts that mark a parameter as carrying a credential.
    static let credentialNames = [
        "token", "key", "secret", "password", "passwd", "pwd", "auth", "credential", "signature", "sig", "session", "cookie", "jwt",
        "bearer", "private",
    ]
    static let maxNameLength = 64
    static let maxValueLength = 200
    static let maxParameters = 20

    /// `query` without its leading `?`, as the URI holds it (still percent-encoded).
    static func redacted(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let parameters = query.split(separator: "&", omittingEmptySubsequences: true)
        var parts = parameters.prefix(maxParameters).map { parameter -> String in
            let pieces = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pieces[0].prefix(maxNameLength))
            guard pieces.count == 2 else { return name }
            let value = pieces[1]
            if isCredentialName(name) || looksLikeCredential(value) {
                return name + "=" + placeholder
            }
            return name + "=" + (value.count > maxValueLength ? value.prefix(maxValueLength) + "…" : value)
        }
        if parameters.count > maxParameters {
            parts.append("…")
        }
        return parts.joined(separator: "&")
    }

    static func isCredentialName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return credentialNames.contains { lowered.contains($0) }
    }

    /// A long run of token characters with no spaces or query syntax (`%20`, `+`, `:`): how API keys,
    /// JWTs and signed-URL signatures look, and how search queries do not.
    /// Letters, digits and `-_.~/` (base64url, JWT and hex alphabets).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"): true
        default: false
        }
    }

    static func looksLikeCredential(_ value: Substring) -> Bool {
        guard value.utf8.count >= 24 else { return false }
        let hasLetter = value.utf8.contains { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        let hasDigit = value.utf8.contains { (0x30...0x39).contains($0) }
        return hasLetter && hasDigit && value.utf8.allSatisfy(isTokenByte)
    }
}
