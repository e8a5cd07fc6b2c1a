/// How error type names are compared and shown, whichever tracer spelled them.
public enum ErrorTypeName {
    /// Prefixes a tracer writes before a runtime's built-in types, though the runtime itself prints the bare
    /// name: ddtrace reports `builtins.ValueError` where Python (and OpenTelemetry's SDK) says `ValueError`;
    /// Python 2 tracers wrote `exceptions.ValueError`.
    static let builtInPrefixes = ["builtins.", "exceptions."]

    /// The type as users read it and as grouping compares the reported exception: without a built-in prefix,
    /// surrounding spaces trimmed. `builtins.ValueError` → `ValueError`; `app.errors.PaymentError` unchanged.
    public static func canonical(_ type: String) -> String {
        let trimmed = type.trimmingSpaces
        for prefix in builtInPrefixes where trimmed.hasPrefix(prefix) {
            let rest = trimmed.dropFirst(prefix.count)
            // Only a bare name follows a built-in prefix; `builtins.x.Y` is somebody's own module.
            if !rest.isEmpty, !rest.contains(".") { return String(rest) }
        }
        return trimmed
    }

    /// The class name without its module, package or namespace path (`.`, `::` or `\`), as grouping compares
    /// the exceptions after the reported one: `com.acme.db.ConstraintViolation` → `ConstraintViolation`,
    /// `ActiveRecord::RecordNotFound` → `RecordNotFound`, `App\Errors\Failed` → `Failed`.
    public static func className(_ type: String) -> String {
        let name = canonical(type)
        var start = name.startIndex
        var index = name.startIndex
        while index < name.endIndex {
            let character = name[index]
            let next = name.index(after: index)
            if character == "." || character == "\\" || (character == ":" && next < name.endIndex && name[next] == ":") {
                let after = character == ":" ? name.index(after: next) : next
                if after < name.endIndex { start = after }
            }
            index = next
        }
        return String(name[start...])
    }
}
