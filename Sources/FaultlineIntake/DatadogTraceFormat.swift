/// The Datadog trace-agent payload versions intake understands.
public enum DatadogTraceFormat: String, Sendable, Hashable, CaseIterable {
    /// `/v0.4/traces`: an array of traces, each an array of span maps (msgpack, or JSON).
    case v04 = "v0.4"
    /// `/v0.5/traces`: `[string table, traces]` with 12-element span arrays of string indexes.
    case v05 = "v0.5"
}
