/// An explicit mapping from where code ran to where it lives in the repository (`/app` → `src`).
public struct PathMapping: Sendable, Hashable, Codable {
    /// Path prefix as the runtime printed it (`/app`, `C:\build`).
    public var stackRoot: String
    /// Repository-relative directory it corresponds to (`src`, or empty for the root).
    public var sourceRoot: String

    enum CodingKeys: String, CodingKey {
        case stackRoot, sourceRoot
    }

    /// The spelling stored and accepted before the API's keys were camelCase.
    private enum LegacyKeys: String, CodingKey {
        case stackRoot = "stack_root"
        case sourceRoot = "source_root"
    }

    /// Reads `stackRoot`/`sourceRoot`, or the `stack_root`/`source_root` of links stored by earlier versions.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.stackRoot) {
            stackRoot = try container.decode(String.self, forKey: .stackRoot)
            sourceRoot = try container.decode(String.self, forKey: .sourceRoot)
        } else {
            let legacy = try decoder.container(keyedBy: LegacyKeys.self)
            stackRoot = try legacy.decode(String.self, forKey: .stackRoot)
            sourceRoot = try legacy.decode(String.self, forKey: .sourceRoot)
        }
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
