/// The runtime that printed a stack trace, as Datadog's `language` span tag names it.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case python
    case jvm
    case go
    case nodejs
    case ruby
    case dotnet
    case php
    case cpp
    case unknown

    /// Maps a tracer's `language` tag (`python`, `jvm`, `java`, `javascript`, `nodejs`, …) to a language.
    public init?(tag: String) {
        switch tag.lowercased() {
        case "python", "py": self = .python
        case "jvm", "java", "kotlin", "scala": self = .jvm
        case "go", "golang": self = .go
        case "javascript", "nodejs", "node", "js", "typescript": self = .nodejs
        case "ruby", "rb": self = .ruby
        case "dotnet", ".net", "csharp", "c#", "net": self = .dotnet
        case "php": self = .php
        case "cpp", "c++", "c": self = .cpp
        default: return nil
        }
    }
}
