/// Splits a span's tags into host, container and span tags, as Datadog's Error Tracking shows them.
enum TagClassifier {
    enum Kind {
        case host
        case container
        case span
    }

    static func kind(of key: String) -> Kind {
        if key == "host" || key == "_dd.hostname" || key.hasPrefix("host.") { return .host }
        if key == "container_id" || key.hasPrefix("container_") || key.hasPrefix("container.")
            || key.hasPrefix("kube_") || key.hasPrefix("k8s.") {
            return .container
        }
        return .span
    }

    /// Tags intake moves into dedicated event fields (or drops because they may hold secrets).
    static let consumedKeys: Set<String> = [
        "error.type", "error.message", "error.msg", "error.stack", "error.handling_stack", "error.details",
        "error.fingerprint",
        "_dd.git.repository_url", "_dd.git.commit.sha", "git.repository_url", "git.commit.sha",
    ]

    /// Adds `value` under `key` to the right bucket unless intake consumed the key.
    static func file(
        _ key: String, _ value: String,
        span: inout [String: String], host: inout [String: String], container: inout [String: String]
    ) {
        guard !consumedKeys.contains(key) else { return }
        switch kind(of: key) {
        case .host: host[key] = value
        case .container: container[key] = value
        case .span: span[key] = value
        }
    }
}
