import Foundation

typealias OTLPKeyValue = Opentelemetry_Proto_Common_V1_KeyValue
typealias OTLPAnyValue = Opentelemetry_Proto_Common_V1_AnyValue

extension OTLPAnyValue {
    /// The value as a tag string; arrays and maps as compact JSON-like text.
    var tagString: String {
        switch value {
        case .stringValue(let text): return text
        case .boolValue(let flag): return flag ? "true" : "false"
        case .intValue(let number): return String(number)
        case .doubleValue(let number): return Self.render(number)
        case .bytesValue(let data): return data.base64EncodedString()
        case .arrayValue(let array): return "[" + array.values.map(\.quotedTagString).joined(separator: ",") + "]"
        case .kvlistValue(let list): return "{" + list.values.map { "\"\($0.key)\":\($0.value.quotedTagString)" }.joined(separator: ",") + "}"
        case .stringValueStrindex(let index): return String(index)
        case nil: return ""
        }
    }

    private var quotedTagString: String {
        if case .stringValue(let text) = value { return "\"\(text)\"" }
        return tagString
    }

    /// The value as a metric when it is a number.
    var metric: Double? {
        switch value {
        case .intValue(let number): return Double(number)
        case .doubleValue(let number): return number
        default: return nil
        }
    }

    var string: String? {
        if case .stringValue(let text) = value, !text.isEmpty { return text }
        return nil
    }

    static func render(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

extension Array where Element == OTLPKeyValue {
    /// The first non-empty string value for `key`.
    func string(_ key: String) -> String? {
        for attribute in self where attribute.key == key {
            if let text = attribute.value.string { return text }
        }
        return nil
    }
}
