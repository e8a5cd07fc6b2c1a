import FaultlineCore

/// What a resource says about every span under it: service identity, host, container and Git link.
struct OTLPResourceContext {
    var service = "unknown_service"
    var env: String?
    var version: String?
    var language: String?
    var git: GitLink?
    var spanTags: [String: String] = [:]
    var hostTags: [String: String] = [:]
    var containerTags: [String: String] = [:]

    /// Attributes that become dedicated event fields, or may carry credentials.
    static let consumedKeys: Set<String> = TagClassifier.consumedKeys.union([
        "service.name", "service.version", "deployment.environment", "deployment.environment.name",
        "telemetry.sdk.language", "vcs.repository.url.full", "vcs.ref.head.revision",
    ])

    init(_ attributes: [OTLPKeyValue]) {
        service = attributes.string("service.name") ?? service
        env = attributes.string("deployment.environment.name") ?? attributes.string("deployment.environment")
        version = attributes.string("service.version")
        language = attributes.string("telemetry.sdk.language")
        git = Self.gitLink(attributes)
        for attribute in attributes where !Self.consumedKeys.contains(attribute.key) {
            TagClassifier.file(attribute.key, attribute.value.tagString, span: &spanTags, host: &hostTags, container: &containerTags)
        }
    }

    static func gitLink(_ attributes: [OTLPKeyValue]) -> GitLink? {
        guard let url = attributes.string("vcs.repository.url.full") ?? attributes.string("git.repository_url") else { return nil }
        let sha = attributes.string("vcs.ref.head.revision") ?? attributes.string("git.commit.sha")
        return GitLink.tagged(repositoryURL: url, commitSHA: sha)
    }
}
