import Crypto

/// Computes the grouping key of an error: a SHA-256 over ordered, normalised parts.
///
/// Parts, in order:
/// - `type:` the reported error type, without a built-in prefix (``ErrorTypeName/canonical(_:)``);
/// - `message:` the message after `MessageNormalizer`;
/// - `cause:` the type of each cause in the chain (`Caused by:`, Python's `__cause__`/context, .NET inner
///   exceptions), at most `maxCauses`. Like Sentry we let the chain matter — a timeout wrapped in a
///   `RuntimeException` is another bug than a constraint violation wrapped in the same — but only by
///   class name without its module path (``ErrorTypeName/className(_:)``): cause messages often carry SQL or payloads the normaliser cannot fully tame, and their frames
///   repeat the reported exception's (`... 12 more`). Suppressed exceptions are incidental and ignored;
/// - `frame:` `module.function` of the reported exception's in-app frames, innermost first, with
///   consecutive repeats and short recursion cycles collapsed and at most `maxFrames` kept. When the
///   reported exception has no in-app frame (a wrapper thrown by a framework, a frame-less Go error), the
///   first cause that has one drives; when no exception has one, all frames of the first that has frames;
///   JVM traces (version 3 on) hash only what dd-trace-java keeps when it shortens a long trace: classes by
///   package initials (``FrameKey/of(_:language:abbreviatingJVMPackages:steps:)``) and, of each exception,
///   only its first 8 and last 4 frames (its middle becomes `... N trimmed ...`), so a trace that was
///   abbreviated or trimmed groups with its full form;
/// - `note:` when the message was truncated or frames were capped.
/// Line numbers, columns, path prefixes (so release directories, dates and commit hashes in paths) are
/// never hashed: a file contributes only its stem, and only when the frame has no module.
public enum Fingerprinter {
    /// Frames hashed at most, innermost first.
    public static let maxFrames = 50
    /// Cause types hashed at most.
    public static let maxCauses = 5

    /// The fingerprint of an error; `override` (the `error.fingerprint` tag) wins when it is not blank.
    public static func fingerprint(
        type: String,
        message: NormalizedMessage,
        trace: StackTrace,
        override: String? = nil
    ) -> Fingerprint {
        var steps = 0
        return fingerprint(type: type, message: message, trace: trace, override: override, steps: &steps)
    }

    /// As `fingerprint(type:message:trace:override:)`, adding the work done (frames and bytes examined) to `steps`.
    public static func fingerprint(
        type: String,
        message: NormalizedMessage,
        trace: StackTrace,
        override: String?,
        steps: inout Int
    ) -> Fingerprint {
        fingerprint(type: type, message: message, trace: trace, override: override, previous: nil, steps: &steps)
    }

    /// What versions before 3 hashed when it differs from the current input: the message as the tracer
    /// reported it (dd-trace-php's `Uncaught Type: msg in /path:12`) and the frames' in-app flags as
    /// decided before abbreviated JVM frames were understood.
    public struct PreviousInput: Sendable {
        public var message: NormalizedMessage?
        public var trace: StackTrace?

        public init(message: NormalizedMessage? = nil, trace: StackTrace? = nil) {
            self.message = message
            self.trace = trace
        }
    }

    /// As `fingerprint(type:message:trace:override:steps:)`, with what versions before 3 hashed instead.
    public static func fingerprint(
        type: String,
        message: NormalizedMessage,
        trace: StackTrace,
        override: String?,
        previous: PreviousInput?,
        steps: inout Int
    ) -> Fingerprint {
        if let override = override?.trimmingSpaces, !override.isEmpty {
            return Fingerprint(value: override, version: Grouper.version, parts: ["override:\(override)"], overridden: true)
        }
        let currentFrames = frameParts(of: trace, version: Grouper.version, steps: &steps)
        // Versions 1 and 2 hashed the same frames; JVM frames changed in version 3.
        let legacyTrace = previous?.trace ?? trace
        let legacy = trace.language == .jvm || previous?.trace != nil ? frameParts(of: legacyTrace, version: 2, steps: &steps) : currentFrames
        func parts(_ version: Int) -> [String] {
            let message = version >= 3 ? message : (previous?.message ?? message)
            let (frameParts, capped) = version >= 3 ? currentFrames : legacy
            var notes: [String] = []
            if message.truncatedBytes > 0 { notes.append("note:message truncated to \(MessageNormalizer.maxBytes) bytes") }
            if capped { notes.append("note:frames capped at \(maxFrames)") }
            var parts = ["type:\(typeKey(type, version: version))", "message:\(message.text)"]
            for exception in trace.exceptions.dropFirst().prefix(maxCauses * 4) where exception.relation != .suppressed {
                steps += 1
                guard parts.count < 2 + maxCauses else { break }
                parts.append("cause:\(causeKey(exception.type ?? "", version: version))")
            }
            return parts + frameParts + notes
        }
        let current = parts(Grouper.version)
        return Fingerprint(
            value: hash(current, version: Grouper.version),
            version: Grouper.version,
            parts: current,
            previousValues: Grouper.previousVersions.map { hash(parts($0), version: $0) }
        )
    }

    /// The reported exception's type as hashed. Version 1 took the tracer's spelling; version 2 drops a
    /// built-in prefix (`builtins.ValueError` is `ValueError`), so ddtrace and OpenTelemetry events share an issue.
    static func typeKey(_ type: String, version: Int) -> String {
        version >= 2 ? boundedType(ErrorTypeName.canonical(type)) : boundedType(type)
    }

    /// A cause's type as hashed. Version 2 keeps only the class name, so a dependency that moves its
    /// exception class to another module does not split an issue.
    static func causeKey(_ type: String, version: Int) -> String {
        version >= 2 ? boundedType(ErrorTypeName.className(type)) : boundedType(type)
    }

    /// Type names longer than this many bytes are cut (a type is an identifier; anything longer is garbage).
    public static let maxTypeBytes = 512

    private static func boundedType(_ type: String) -> String {
        let trimmed = type.trimmingSpaces
        guard trimmed.utf8.count > maxTypeBytes else { return trimmed }
        var cut = maxTypeBytes
        let bytes = Array(trimmed.utf8.prefix(maxTypeBytes + 1))
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return String(decoding: bytes[..<cut], as: UTF8.self)
    }

    /// Frames of a JVM exception that dd-trace-java keeps when it trims the middle: the first 8 and last 4.
    static let jvmKeptHeadFrames = 8
    static let jvmKeptTailFrames = 4

    static func frameParts(of trace: StackTrace, version: Int = Grouper.version, steps: inout Int) -> (parts: [String], capped: Bool) {
        let jvm = version >= 3 && trace.language == .jvm
        func hashed(_ frames: [Frame]) -> [Frame] {
            guard jvm, frames.count > jvmKeptHeadFrames + jvmKeptTailFrames else { return frames }
            return Array(frames.prefix(jvmKeptHeadFrames) + frames.suffix(jvmKeptTailFrames))
        }
        var frames: [Frame] = []
        var anyInApp = false
        for exception in trace.exceptions where exception.relation != .suppressed {
            steps += 1 + exception.frames.count
            let kept = hashed(exception.frames)
            if kept.contains(where: \.inApp) {
                frames = kept
                anyInApp = true
                break
            }
            if frames.isEmpty { frames = kept }
        }
        var keys: [String] = []
        var capped = false
        for frame in frames where frame.inApp || !anyInApp {
            steps += 1
            guard let key = FrameKey.of(frame, language: trace.language, abbreviatingJVMPackages: jvm, steps: &steps) else { continue }
            keys.append(key)
            collapseRepeats(&keys, steps: &steps)
            if keys.count > maxFrames {
                keys.removeLast()
                capped = true
                break
            }
        }
        return (keys.map { "frame:\($0)" }, capped)
    }

    /// Removes the newest block of `keys` when it repeats the block before it (recursion `a a a`, `a b a b`,
    /// `a b c a b c`), so recursion depth does not split an issue.
    private static func collapseRepeats(_ keys: inout [String], steps: inout Int) {
        var changed = true
        while changed {
            changed = false
            for period in 1...3 where keys.count >= 2 * period {
                steps += period
                let n = keys.count
                if (0..<period).allSatisfy({ keys[n - 1 - $0] == keys[n - 1 - period - $0] }) {
                    keys.removeLast(period)
                    changed = true
                    break
                }
            }
        }
    }


    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Lowercase hex SHA-256 of the version and the length-prefixed parts (so no two part lists collide).
    static func hash(_ parts: [String], version: Int = Grouper.version) -> String {
        var input = Array("faultline-grouping-v\(version)\n".utf8)
        for part in parts {
            appendDecimal(part.utf8.count, to: &input)
            input.append(UInt8(ascii: ":"))
            input.append(contentsOf: part.utf8)
            input.append(0x0A)
        }
        let digest = SHA256.hash(data: input)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
