/// An explicit mapping from where code ran to where it lives in the repository (`/app` → `src`).
public struct PathMapping: Sendable, Hashable, Codable {
    /// Path prefix as the runtime printed it (`/app`, `C:\build`).
    public var stackRoot: String
    /// Repository-relative directory it corresponds to (`src`, or empty for the root).
    public var sourceRoot: String

    enum CodingKeys: String, CodingKey {
        case stackRoot = "stack_root"
        case sourceRoot = "source_root"
    }

    public init(stackRoot: String, sourceRoot: String) {
        self.stackRoot = stackRoot
        self.sourceRoot = sourceRoot
    }

    /// Parses `STACK_ROOT=SOURCE_ROOT` as given to `--map`; nil when there is no `=`.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let stack = String(argument[..<equals])
        guard !stack.isEmpty else { return nil }
        self.init(stackRoot: stack, sourceRoot: String(argument[argument.index(after: equals)...]))
    }
}
