import FaultlineCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where notifications may be sent (`--allow-notify`): anyone who can create a monitor names a URL, and
/// the server connects to it.
///
/// Patterns are globs over `scheme://host[:port]/path` (`*` any run, `?` one character); with none
/// configured, any `https` URL. A destination whose host resolves to a loopback, private, link-local or
/// otherwise non-public address is refused unless a pattern names that host explicitly (no wildcard in
/// its host part), and the address checked is the one connected to, so DNS cannot change it in between.
public struct NotifyAllowList: Sendable, Hashable {
    public static let defaultPatterns = ["https://*"]

    public let patterns: [String]

    public init(patterns: [String] = []) {
        let cleaned = patterns.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.patterns = cleaned.isEmpty ? Self.defaultPatterns : cleaned
    }

    /// A destination that passed the check: its URL and the address to connect to (nil when the URL's
    /// host is already an IP address).
    public struct Destination: Sendable, Hashable {
        public var url: URL
        public var host: String
        public var connectAddress: String?
    }

    /// Checks the URL's form and patterns only (no name resolution): what creating a monitor checks.
    public func check(_ text: String) throws(MonitorsError) -> (url: URL, host: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host?.lowercased(), !host.isEmpty, let url = components.url
        else {
            throw MonitorsError(.destinationRefused, "destination must be an http or https URL")
        }
        guard components.user == nil, components.password == nil else {
            throw MonitorsError(.destinationRefused, "destination must not carry credentials in the URL")
        }
        let normalised = Self.normalised(text)
        guard patterns.contains(where: { Glob.matches(pattern: Self.normalised($0), text: normalised) }) else {
            throw MonitorsError(.destinationRefused, "destination does not match --allow-notify (\(patterns.joined(separator: ", ")))")
        }
        return (url, host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
    }

    /// Checks the URL and resolves its host; throws when it is refused.
    public func resolve(_ text: String) async throws(MonitorsError) -> Destination {
        let (url, host) = try check(text)
        let explicit = patterns.contains { Self.namesHost($0, host) }
        if let literal = IPAddressClass.classify(host) {
            guard literal == .public || explicit else {
                throw MonitorsError(.destinationRefused, "destination \(host) is a non-public address; name it in --allow-notify to allow it")
            }
            return Destination(url: url, host: host, connectAddress: nil)
        }
        let addresses = await AddressResolver.resolve(host)
        guard let first = addresses.first else {
            throw MonitorsError(.destinationUnreachable, "destination host \(host) does not resolve")
        }
        if !explicit, addresses.contains(where: { IPAddressClass.classify($0) != .public }) {
            throw MonitorsError(.destinationRefused, "destination \(host) resolves to a non-public address; name it in --allow-notify to allow it")
        }
        return Destination(url: url, host: host, connectAddress: first)
    }

    /// Scheme and host lower-cased (they are case-insensitive), the rest kept.
    static func normalised(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        return text[..<schemeEnd.upperBound].lowercased() + rest[..<hostEnd].lowercased() + rest[hostEnd...]
    }

    /// Whether a pattern's host part is exactly `host`, without wildcards.
    static func namesHost(_ pattern: String, _ host: String) -> Bool {
        guard let schemeEnd = pattern.range(of: "://") else { return false }
        let rest = pattern[schemeEnd.upperBound...]
        var authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            authority = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.lastIndex(of: ":") {
            authority = authority[..<colon]
        }
        return !authority.contains("*") && !authority.contains("?") && authority.lowercased() == host.lowercased()
    }
}

/// Whether an IP address is one the public internet routes.
enum IPAddressClass: Equatable {
    case `public`
    case nonPublic

    /// nil when `text` is not an IP address.
    static func classify(_ text: String) -> IPAddressClass? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return isPublicV4(bytes) ? .public : .nonPublic
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses are judged as IPv4.
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
                return isPublicV4(Array(bytes[12..<16])) ? .public : .nonPublic
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return .nonPublic }  // :: and ::1
            if bytes[0] & 0xfe == 0xfc { return .nonPublic }  // fc00::/7 unique local
            if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return .nonPublic }  // fe80::/10 link-local
            if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0xc0 { return .nonPublic }  // fec0::/10 site-local
            if bytes[0] == 0xff { return .nonPublic }  // multicast
            if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0d, bytes[3] == 0xb8 { return .nonPublic }  // documentation
            return .public
        }
        return nil
    }

    private static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false  // carrier-grade NAT
        case (169, 254): return false  // link-local (cloud metadata)
        case (172, 16...31): return false
        case (192, 168): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false
        case (198, 18...19): return false
        case (198, 51) where b[2] == 100: return false
        case (203, 0) where b[2] == 113: return false
        case (224...255, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }
}

/// Blocking name resolution (getaddrinfo), off the cooperative pool.
enum AddressResolver {
    static func resolve(_ host: String) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: lookup(host))
            }
        }
    }

    private static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = info.pointee.ai_addr,
               getnameinfo(address, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
