import Crypto
import FaultlineCore
import Foundation

/// What identifies an event's stack part without holding its text: SHA-256 of the error.stack and of what the
/// parser made of it (the raw text when it differs, the language, and each frame's line and in-app flag).
/// Equal digests are taken as equal parts (a collision would need a SHA-256 collision), so the writer can
/// remember tens of thousands of stacks in a few megabytes and never compare kilobytes of text per event.
struct StackDigest: Hashable, Sendable {
    private let high: UInt64
    private let low: UInt64
    private let rest: UInt64
    private let last: UInt64

    init(_ grouped: GroupedEvent) {
        var hash = SHA256()
        let trace = grouped.stackTrace
        var text = grouped.event.errorStack
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let rawDiffers = trace.raw != grouped.event.errorStack
        var shape: [UInt8] = [rawDiffers ? 1 : 0]
        if rawDiffers { shape.append(contentsOf: trace.raw.utf8) }
        shape.append(0)
        shape.append(contentsOf: trace.language.rawValue.utf8)
        shape.append(0)
        for exception in trace.exceptions {
            Self.append(UInt64(exception.frames.count), to: &shape)
            for frame in exception.frames {
                Self.append(UInt64(bitPattern: Int64(frame.line ?? -1)) << 1 | (frame.inApp ? 1 : 0), to: &shape)
            }
        }
        for warning in trace.warnings {
            shape.append(contentsOf: warning.utf8)
            shape.append(0)
        }
        hash.update(data: shape)
        let digest = Array(hash.finalize())
        func word(_ offset: Int) -> UInt64 {
            digest[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        high = word(0)
        low = word(8)
        rest = word(16)
        last = word(24)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
