/// The file paths of one commit, with lookups by exact path and by file name for suffix matching.
public struct CommitIndex: Sendable {
    public let commitSHA: String
    /// Every blob path of the commit's tree, in tree order.
    public let paths: [String]
    private let exact: Set<String>
    /// File name → indexes into `paths`.
    private let byFileName: [Substring: [Int32]]

    public init(commitSHA: String, paths: [String]) {
        self.commitSHA = commitSHA
        self.paths = paths
        exact = Set(paths)
        var byFileName: [Substring: [Int32]] = [:]
        byFileName.reserveCapacity(paths.count)
        for (index, path) in paths.enumerated() {
            byFileName[CommitIndex.fileName(of: path), default: []].append(Int32(index))
        }
        self.byFileName = byFileName
    }

    /// Whether `path` is a file of the commit.
    public func contains(_ path: String) -> Bool {
        exact.contains(path)
    }

    /// Paths whose file name is `name`.
    public func paths(named name: Substring) -> [String] {
        guard let indexes = byFileName[name] else { return [] }
        if indexes.count == 1 { return [paths[Int(indexes[0])]] }
        return indexes.map { paths[Int($0)] }
    }

    /// Paths equal to `suffix` or ending with `/` + `suffix` (a whole-component suffix).
    public func paths(endingWith suffix: String) -> [String] {
        paths(named: CommitIndex.fileName(of: suffix)).filter { $0 == suffix || $0.hasSuffix("/" + suffix) }
    }

    public var count: Int { paths.count }

    static func fileName(of path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }
}
