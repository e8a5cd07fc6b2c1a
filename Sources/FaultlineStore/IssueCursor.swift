import FaultlineCore

/// Keyset position in an issue list: the sort it belongs to, the last row's sort value and id.
/// Text form `count:desc:<value>:<id>`; opaque to callers.
struct IssueCursor: Equatable {
    var sort: IssueSort
    var value: Int64
    var id: Int64

    init(sort: IssueSort, value: Int64, id: Int64) {
        self.sort = sort
        self.value = value
        self.id = id
    }

    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4,
              let field = IssueSort.Field(rawValue: String(parts[0])),
              parts[1] == "asc" || parts[1] == "desc",
              let value = Int64(parts[2]),
              let id = Int64(parts[3])
        else { return nil }
        self.init(sort: IssueSort(field, descending: parts[1] == "desc"), value: value, id: id)
    }

    var text: String { "\(sort.field.rawValue):\(sort.descending ? "desc" : "asc"):\(value):\(id)" }
}
