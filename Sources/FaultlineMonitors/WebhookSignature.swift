import Crypto
import Foundation

/// The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`.
///
/// A secret written `whsec_<base64>` signs with the decoded bytes (the scheme's own format); any other
/// secret signs with its UTF-8 bytes.
public struct WebhookSignature: Sendable {
    /// The key's bytes (Crypto's `SymmetricKey` is not `Sendable`; one is made per signature).
    private let key: Data

    public init(secret: String) {
        if secret.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.dropFirst(6))), !decoded.isEmpty {
            key = decoded
        } else {
            key = Data(secret.utf8)
        }
    }

    /// The `webhook-signature` header value for one send.
    public func header(id: String, timestamp: Int64, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Whether a `webhook-signature` header (space-separated `v1,<sig>` entries) holds a valid signature.
    public func verify(header: String, id: String, timestamp: Int64, body: Data) -> Bool {
        let expected = self.header(id: id, timestamp: timestamp, body: body)
        return header.split(separator: " ").contains { $0 == expected }
    }
}
