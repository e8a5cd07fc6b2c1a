import Foundation
import HTTPTypes
import Hummingbird

/// Whether a request comes from a page of the server's own origin, judged by `Origin` (or `Referer` when a
/// browser sent no `Origin`): the server's origin is its `public-url`, or `http://` and the `Host` the browser addressed.
/// Browsers send `Origin` on every cross-origin request and on same-origin ones that are not GET or HEAD.
struct SameOriginCheck: Sendable {
    /// `scheme://host[:port]` of `public-url`, lower-cased, default port dropped.
    let publicOrigin: String?

    enum Verdict: Equatable {
        case sameOrigin
        case crossOrigin
        /// Neither `Origin` nor `Referer`: not a browser page (a script), or a browser told to send neither.
        case unknown
    }

    init(publicURL: URL?) {
        publicOrigin = publicURL.flatMap { Self.origin(of: $0.absoluteString) }
    }

    func verdict(_ request: Request) -> Verdict {
        let claimed: String?
        if let origin = request.headers[.origin] {
            claimed = origin
        } else if let referer = request.headers[.referer] {
            claimed = referer
        } else {
            return .unknown
        }
        // `Origin: null` (sandboxed frames, some redirects) and anything unparsable is another origin.
        guard let claimed, let origin = Self.origin(of: claimed) else { return .crossOrigin }
        if let publicOrigin, origin == publicOrigin { return .sameOrigin }
        // The server itself speaks plain http; behind an https proxy `public-url` names the origin.
        if let host = request.head.authority, Self.origin(of: "http://\(host)") == origin {
            return .sameOrigin
        }
        return .crossOrigin
    }

    /// `scheme://host[:port]` of a URL, lower-cased, with the scheme's default port dropped; nil unless http(s).
    static func origin(of text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(port.map { ":\($0)" } ?? "")"
    }
}
