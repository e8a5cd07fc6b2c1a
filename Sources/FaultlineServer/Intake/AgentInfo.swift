import FaultlineIntake
import Foundation

/// The body of `GET /info`, shaped like the Datadog trace agent's discovery answer so tracers pick
/// their protocol from it. ddtrace reads `endpoints` (v0.5 when listed) and `client_drop_p0s`; we ask
/// tracers to send every trace (no client-side P0 dropping) and compute no stats.
struct AgentInfo: Codable, Sendable {
    struct Config: Codable, Sendable {
        var default_env: String
        var receiver_port: Int
        var max_request_bytes: Int
    }

    var version: String
    var git_commit: String
    var endpoints: [String]
    var client_drop_p0s: Bool
    var span_meta_structs: Bool
    var long_running_spans: Bool
    var span_events: Bool
    var evp_proxy_allowed_headers: [String]
    var peer_tags: [String]
    var span_kinds_stats_computed: [String]
    var obfuscation_version: Int
    var config: Config

    /// Routes the agent would list that Faultline serves.
    static let intakeEndpoints = IntakeRoute.allCases.map(\.path)

    static func current(port: Int, maxBodyBytes: Int) -> AgentInfo {
        AgentInfo(
            version: FaultlineVersion.string,
            git_commit: "",
            endpoints: intakeEndpoints,
            client_drop_p0s: false,
            span_meta_structs: false,
            long_running_spans: false,
            span_events: false,
            evp_proxy_allowed_headers: [],
            peer_tags: [],
            span_kinds_stats_computed: [],
            obfuscation_version: 0,
            config: Config(default_env: "none", receiver_port: port, max_request_bytes: maxBodyBytes)
        )
    }
}
