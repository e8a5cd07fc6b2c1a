import ArgumentParser

/// The issue id every single-issue command takes, validated once.
struct IssueIDArgument: ParsableArguments {
    @Argument(help: "Issue id.")
    var id: Int64

    func validate() throws {
        guard id > 0 else { throw ValidationError("issue id must be a positive integer") }
    }
}
