internal import CLibgit2
import Foundation

extension GitRepository {
    /// Blames `lines` (1-based, inclusive) of `filePath` as of `commit`: the hunks that last touched them, each with its commit's summary.
    public func blame(path filePath: String, commit sha: String, lines: ClosedRange<Int>) throws -> [GitBlameHunk] {
        guard lines.lowerBound >= 1 else {
            throw GitError(kind: .invalidArgument, operation: "blame", repository: path, commit: sha, path: filePath, message: "line numbers start at 1")
        }
        // libgit2 does not check max_line against the file: it invents hunks past the end.
        let content = try blob(at: filePath, commit: sha)
        let lineCount = content.bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + (content.bytes.last.map { $0 == 10 ? 0 : 1 } ?? 0)
        guard lines.upperBound <= lineCount else {
            throw GitError(kind: .invalidArgument, operation: "blame", repository: path, commit: sha, path: filePath, message: "line \(lines.upperBound) is past the end of the file (\(lineCount) lines)")
        }
        let commit = try lookupCommit(sha)
        var options = git_blame_options()
        git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION))
        options.newest_commit = git_commit_id(commit).pointee
        git_commit_free(commit)
        options.min_line = lines.lowerBound
        options.max_line = lines.upperBound
        var blame: OpaquePointer?
        let code = git_blame_file(&blame, handle, filePath, &options)
        guard code >= 0, let blame else {
            throw GitError.fromLibgit2(code, operation: "blame", repository: path, commit: sha, path: filePath)
        }
        defer { git_blame_free(blame) }

        var hunks: [GitBlameHunk] = []
        var summaries: [String: String] = [:]
        var line = lines.lowerBound
        while line <= lines.upperBound {
            guard let hunk = git_blame_get_hunk_byline(blame, line)?.pointee else {
                throw GitError(kind: .invalidArgument, operation: "blame", repository: path, commit: sha, path: filePath, message: "line \(line) is past the end of the file")
            }
            let hunkSHA = withUnsafePointer(to: hunk.final_commit_id) { GitRepository.hex($0) }
            let summary: String
            if let known = summaries[hunkSHA] {
                summary = known
            } else {
                summary = (try? self.commit(hunkSHA).summary) ?? ""
                summaries[hunkSHA] = summary
            }
            let signature = GitRepository.signature(hunk.final_signature.map { UnsafePointer($0) })
            let originalPath = hunk.orig_path.map { String(cString: $0) }
            hunks.append(GitBlameHunk(
                commitSHA: hunkSHA,
                startLine: Int(hunk.final_start_line_number),
                lineCount: Int(hunk.lines_in_hunk),
                authorName: signature.name,
                authorEmail: signature.email,
                authorTime: signature.time,
                summary: summary,
                originalPath: originalPath == filePath ? nil : originalPath
            ))
            line = max(line + 1, Int(hunk.final_start_line_number) + Int(hunk.lines_in_hunk))
        }
        return hunks
    }
}
