/// What a row of `issue_stat` counts.
enum StatKind: Int {
    case hour = 0
    case version = 1
    case host = 2
    case container = 3
}
