import Foundation
import Hummingbird

/// The explorer's session cookie: HttpOnly (scripts cannot read it), SameSite=Strict, Secure when the server is
/// reached over https (`public-url`), lasting the session's lifetime at most.
struct SessionCookie: Sendable {
    static let name = "faultline_session"

    var secure: Bool
    var lifetime: TimeInterval

    func setting(_ secret: String) -> Cookie {
        Cookie(name: Self.name, value: secret, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    func clearing() -> Cookie {
        Cookie(name: Self.name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The session id the request carries, if any.
    static func secret(in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty else { return nil }
        return value
    }
}
