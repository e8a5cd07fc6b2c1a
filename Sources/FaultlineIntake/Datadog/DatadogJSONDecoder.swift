import Foundation

/// Reads v0.4 payloads sent as JSON (`[[{span}, …], …]`), as dd-trace's JSON encoder writes them.
struct DatadogJSONDecoder {
    let rule: DatadogChunkRule

    func decode(_ body: [UInt8]) throws(IntakeError) -> IntakeBatch {
        let traces: [[SpanSlot]]
        do {
            traces = try JSONDecoder().decode([[SpanSlot]].self, from: Data(body))
        } catch let error as DecodingError {
            throw IntakeError("v0.4 json: \(Self.describe(error))")
        } catch {
            throw IntakeError("v0.4 json: the body is not valid JSON")
        }
        var batch = IntakeBatch()
        for trace in traces {
            let spans = trace.map(\.span)
            let summaries = spans.enumerated().map { index, span in
                DatadogSpanSummary(
                    spanID: span?.spanID ?? 0,
                    parentID: span?.parentID ?? 0,
                    service: index..<index,
                    isError: (span?.error ?? 0) != 0,
                    isMalformed: span == nil,
                    position: index
                )
            }
            try rule.evaluate(
                summaries,
                sameService: { lhs, rhs in spans[lhs]?.service == spans[rhs]?.service },
                decode: { index in spans[index] },
                into: &batch
            )
        }
        return batch
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "bad value at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "expected an array of traces, each an array of spans, at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context.codingPath))"
        @unknown default:
            return "the body is not a v0.4 payload"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// One JSON span, or nil when its fields have the wrong kinds (counted malformed, not fatal).
private struct SpanSlot: Decodable {
    var span: DatadogSpan?

    init(from decoder: any Decoder) throws {
        span = try? JSONSpan(from: decoder).span
    }
}

private struct JSONSpan: Decodable {
    var span = DatadogSpan()

    enum Keys: String, CodingKey {
        case service, name, resource, type, trace_id, span_id, parent_id, start, duration, error, meta, metrics
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        span.service = try container.decodeIfPresent(String.self, forKey: .service) ?? ""
        span.name = try container.decodeIfPresent(String.self, forKey: .name)
        span.resource = try container.decodeIfPresent(String.self, forKey: .resource)
        span.type = try container.decodeIfPresent(String.self, forKey: .type)
        span.traceID = try container.decodeIfPresent(LenientNumber.self, forKey: .trace_id)?.unsigned ?? 0
        span.spanID = try container.decodeIfPresent(LenientNumber.self, forKey: .span_id)?.unsigned ?? 0
        span.parentID = try container.decodeIfPresent(LenientNumber.self, forKey: .parent_id)?.unsigned ?? 0
        span.start = try container.decodeIfPresent(LenientNumber.self, forKey: .start)?.signed ?? 0
        span.duration = try container.decodeIfPresent(LenientNumber.self, forKey: .duration)?.signed ?? 0
        span.error = try container.decodeIfPresent(LenientNumber.self, forKey: .error)?.signed ?? 0
        span.meta = try container.decodeIfPresent([String: String].self, forKey: .meta) ?? [:]
        span.metrics = try container.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
    }
}

/// A JSON integer that may exceed Int64 (ids), be negative (Java), a float, a bool, or a decimal string.
private struct LenientNumber: Decodable {
    var unsigned: UInt64
    var signed: Int64 { Int64(bitPattern: unsigned) }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(UInt64.self) {
            unsigned = value
        } else if let value = try? container.decode(Int64.self) {
            unsigned = UInt64(bitPattern: value)
        } else if let value = try? container.decode(Bool.self) {
            unsigned = value ? 1 : 0
        } else if let value = try? container.decode(Double.self), value.isFinite, abs(value) < 9.2e18 {
            unsigned = UInt64(bitPattern: Int64(value))
        } else if let text = try? container.decode(String.self), let value = UInt64(text) ?? Int64(text).map({ UInt64(bitPattern: $0) }) {
            unsigned = value
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number")
        }
    }
}
