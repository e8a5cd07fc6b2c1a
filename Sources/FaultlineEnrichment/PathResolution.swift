/// Where a frame's file is in a commit, or why it is not there.
public enum PathResolution: Sendable, Hashable {
    /// How a path was found.
    public enum Method: String, Sendable, Hashable {
        case mapping
        case jvmPackage = "jvm_package"
        case goModule = "go_module"
        case installedPackage = "installed_package"
        case suffix
    }

    case found(path: String, method: Method, reason: String)
    case notInRepository(reason: String)
    case ambiguous(candidates: [String], reason: String)
}
