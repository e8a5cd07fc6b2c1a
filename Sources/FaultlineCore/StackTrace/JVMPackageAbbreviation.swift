/// dd-trace-java's package abbreviation (`StackTraces.abbreviatePackageNames` in DataDog/dd-trace-java,
/// dd-trace-core/src/main/java/datadog/trace/core/util/StackTraces.java): a trace longer than the tracer's
/// limit has every frame's package segments cut to their first letter, `com.acme.ledger.LedgerService.post`
/// → `c.a.l.LedgerService.post`; the class and member stay whole. A JDK module prefix is abbreviated with
/// the package (`java.base/java.lang.Thread` → `j.b.l.Thread`).
public enum JVMPackageAbbreviation {
    /// Whether a frame's class (`c.a.l.LedgerService`) reads as abbreviated: it has a package and every
    /// package segment is one character.
    public static func isAbbreviated(_ qualifiedClass: String) -> Bool {
        var segmentLength = 0
        var packageSegments = 0
        for byte in qualifiedClass.utf8 {
            if byte == UInt8(ascii: ".") {
                guard segmentLength == 1 else { return false }
                packageSegments += 1
                segmentLength = 0
            } else {
                segmentLength += 1
            }
        }
        return packageSegments > 0 && segmentLength > 0
    }

    /// The class with each package segment cut to its first byte (`com.acme.Ledger$Entry` →
    /// `c.a.Ledger$Entry`); a class without a package, or already abbreviated, comes back unchanged.
    public static func abbreviated(_ qualifiedClass: String) -> String {
        let bytes = Array(qualifiedClass.utf8)
        guard let lastDot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return qualifiedClass }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var atSegmentStart = true
        for byte in bytes[..<lastDot] {
            if byte == UInt8(ascii: ".") {
                out.append(byte)
                atSegmentStart = true
            } else if atSegmentStart {
                out.append(byte)
                atSegmentStart = false
            }
        }
        out.append(contentsOf: bytes[lastDot...])
        return String(decoding: out, as: UTF8.self)
    }

    /// The first byte of each package segment of a dotted name (`org.springframework.` → `os`), or nil
    /// when a segment is empty. A `/` (a JDK module prefix, `java.base/`) ends the name like a dot.
    static func initials(ofPackage name: String) -> [UInt8]? {
        var out: [UInt8] = []
        var atSegmentStart = true
        for byte in name.utf8 {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") {
                guard !atSegmentStart else { return nil }
                atSegmentStart = true
            } else if atSegmentStart {
                out.append(byte)
                atSegmentStart = false
            }
        }
        return out
    }

    /// The package initials of an abbreviated class (`c.a.l.LedgerService` → `cal`).
    static func packageInitials(ofAbbreviated qualifiedClass: String) -> [UInt8] {
        let bytes = Array(qualifiedClass.utf8)
        guard let lastDot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return [] }
        var out: [UInt8] = []
        var index = 0
        while index < lastDot {
            out.append(bytes[index])
            index += 2
        }
        return out
    }
}
