import FaultlineCore
import Testing

/// Queries the store could not run (too many terms for SQLite's expression depth, a LIKE pattern over its
/// limit, a NUL that would end the text) are refused by the parser, naming the limit.
@Suite("Issue query limits")
struct IssueQueryLimitTests {
    @Test("as many terms as the limit parse; one more is refused at its column")
    func termCount() throws {
        let atLimit = Array(repeating: "service:a", count: IssueQuery.maxTerms).joined(separator: " ")
        #expect(try IssueQuery(parsing: atLimit).terms.count == IssueQuery.maxTerms)
        let over = atLimit + " extra"
        #expect(throws: IssueQueryError(reason: .tooManyTerms, column: atLimit.count + 2)) { try IssueQuery(parsing: over) }
        // `AND` is no term and does not count.
        let withAnd = Array(repeating: "word", count: IssueQuery.maxTerms).joined(separator: " AND ")
        #expect(try IssueQuery(parsing: withAnd).terms.count == IssueQuery.maxTerms)
    }

    @Test("a word, a quoted text, a key or a value over the length limit is refused", arguments: [
        String(repeating: "x", count: IssueQuery.maxTermLength + 1),
        "\"" + String(repeating: "x", count: IssueQuery.maxTermLength + 1) + "\"",
        "message:" + String(repeating: "x", count: IssueQuery.maxTermLength + 1),
        "message:\"" + String(repeating: "x ", count: IssueQuery.maxTermLength / 2 + 1) + "\"",
        String(repeating: "k", count: IssueQuery.maxTermLength + 1) + ":v",
    ])
    func termLength(text: String) throws {
        do {
            _ = try IssueQuery(parsing: text)
            Issue.record("a \(text.count)-character term parsed")
        } catch {
            #expect(error.reason == .termTooLong)
            #expect(error.description.contains("at most \(IssueQuery.maxTermLength) characters"))
        }
        #expect(try IssueQuery(parsing: "message:" + String(repeating: "x", count: IssueQuery.maxTermLength)).terms.count == 1)
    }

    @Test("a query text over the length limit is refused before it is scanned")
    func queryLength() {
        let text = String(repeating: "a ", count: IssueQuery.maxLength / 2 + 1)
        #expect(throws: IssueQueryError(reason: .queryTooLong, column: IssueQuery.maxLength + 1)) { try IssueQuery(parsing: text) }
    }

    @Test("control characters are refused; tabs and line breaks separate terms", arguments: ["\u{0}", "a\u{1}b", "service:x\u{7f}", "\"\u{0}\""])
    func controlCharacters(text: String) {
        #expect(throws: IssueQueryError.self) { try IssueQuery(parsing: text) }
        do {
            _ = try IssueQuery(parsing: text)
        } catch {
            #expect(error.reason == .controlCharacter)
        }
    }

    @Test func whitespaceControlsStillSeparate() throws {
        #expect(try IssueQuery(parsing: "a\tb\nc\r\nd").terms.count == 4)
    }
}
