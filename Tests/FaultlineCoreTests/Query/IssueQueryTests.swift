import FaultlineCore
import Testing

@Suite("Issue query language")
struct IssueQueryTests {
    @Test("facets, negation, quoted text and bare words combine")
    func parsesMixedQuery() throws {
        let query = try IssueQuery(parsing: #"service:checkout -env:staging @error.type:KeyError "timed out" retry"#)
        #expect(query.terms == [
            IssueQueryTerm(.facet(.service, IssueQueryPattern("checkout"))),
            IssueQueryTerm(.facet(.env, IssueQueryPattern("staging")), negated: true),
            IssueQueryTerm(.facet(.errorType, IssueQueryPattern("KeyError"))),
            IssueQueryTerm(.text("timed out")),
            IssueQueryTerm(.text("retry")),
        ])
    }

    @Test("keys and their aliases", arguments: [
        ("service:a", IssueQueryKey.service),
        ("env:a", .env),
        ("environment:a", .env),
        ("version:a", .version),
        ("error.type:a", .errorType),
        ("@error.type:a", .errorType),
        ("type:a", .errorType),
        ("error.message:a", .errorMessage),
        ("@error.message:a", .errorMessage),
        ("host:a", .host),
        ("@host:a", .host),
        ("container:a", .container),
        ("language:a", .language),
        ("fingerprint:a", .fingerprint),
        ("SERVICE:a", .service),
    ])
    func resolvesKeys(text: String, key: IssueQueryKey) throws {
        let query = try IssueQuery(parsing: text)
        #expect(query.terms == [IssueQueryTerm(.facet(key, IssueQueryPattern("a")))])
    }

    @Test("quoted facet values keep spaces and escapes")
    func quotedValue() throws {
        let query = try IssueQuery(parsing: #"error.message:"connection \"db\" refused" -"not this""#)
        #expect(query.terms == [
            IssueQueryTerm(.facet(.errorMessage, IssueQueryPattern(#"connection "db" refused"#))),
            IssueQueryTerm(.text("not this"), negated: true),
        ])
    }

    @Test("status values are validated and lowercased; is: takes flags")
    func statusAndFlags() throws {
        let query = try IssueQuery(parsing: "status:Resolved is:regression -is:new status:ack*")
        #expect(query.terms == [
            IssueQueryTerm(.facet(.status, IssueQueryPattern("resolved"))),
            IssueQueryTerm(.flag(.regression)),
            IssueQueryTerm(.flag(.new), negated: true),
            IssueQueryTerm(.facet(.status, IssueQueryPattern("ack*"))),
        ])
    }

    @Test("an empty query and a bare AND match everything")
    func emptyAndAnd() throws {
        #expect(try IssueQuery(parsing: "").isEmpty)
        #expect(try IssueQuery(parsing: "   \t ").isEmpty)
        #expect(try IssueQuery(parsing: "service:a AND env:b").terms.count == 2)
    }

    @Test("errors carry the 1-based column and a reason", arguments: [
        (#"service:checkout "timed out"#, IssueQueryError.Reason.unterminatedQuote, 18),
        (#"service:"checkout"#, .unterminatedQuote, 9),
        ("env:prod sevice:checkout", .unknownKey, 10),
        ("service:", .emptyValue, 9),
        (#"service:"""#, .emptyValue, 9),
        ("env:prod :x", .emptyKey, 10),
        ("@:x", .emptyKey, 1),
        ("status:closed", .invalidValue, 8),
        ("is:old", .invalidValue, 4),
        ("env:prod -", .danglingNegation, 10),
        ("- env:prod", .danglingNegation, 1),
        ("http://example.com", .unknownKey, 1),
    ])
    func reportsErrors(text: String, reason: IssueQueryError.Reason, column: Int) {
        #expect {
            try IssueQuery(parsing: text)
        } throws: { error in
            guard let error = error as? IssueQueryError else { return false }
            return error.reason == reason && error.column == column && error.offset == column - 1
        }
    }

    @Test("columns count characters, not bytes")
    func columnsAreCharacters() {
        #expect {
            try IssueQuery(parsing: "größe:1")
        } throws: { error in
            (error as? IssueQueryError)?.column == 1
        }
        #expect {
            try IssueQuery(parsing: "\"é\" größe:1")
        } throws: { error in
            (error as? IssueQueryError)?.column == 5
        }
    }

    @Test("error descriptions name column and reason")
    func describesErrors() {
        let error = IssueQueryError(reason: .unknownKey, column: 10, token: "sevice")
        #expect(error.description == "invalid query at column 10: unknown key 'sevice'")
    }

    @Test("wildcard patterns", arguments: [
        ("1.4.*", "1.4.2", true),
        ("1.4.*", "1.4.", true),
        ("1.4.*", "1.5.0", false),
        ("1.4.*", "01.4.0", false),
        ("*Timeout*", "ReadTimeoutError", true),
        ("*Timeout", "TimeoutError", false),
        ("a*b*c", "abc", true),
        ("a*b*c", "axxbyyc", true),
        ("a*b*c", "acb", false),
        ("exact", "exact", true),
        ("exact", "Exact", false),
        (#"lit\*"#, "lit*", true),
        (#"lit\*"#, "litx", false),
    ])
    func wildcardMatching(pattern: String, value: String, matches: Bool) {
        #expect(IssueQueryPattern(pattern).matches(value) == matches)
    }

    @Test("sort parsing", arguments: [
        ("count", IssueSort(.count)),
        ("-count", IssueSort(.count)),
        ("+count", IssueSort(.count, descending: false)),
        ("lastSeen", IssueSort(.lastSeen)),
        ("last-seen:asc", IssueSort(.lastSeen, descending: false)),
        ("first_seen:desc", IssueSort(.firstSeen)),
        ("FIRSTSEEN", IssueSort(.firstSeen)),
    ])
    func parsesSort(text: String, sort: IssueSort) {
        #expect(IssueSort(parsing: text) == sort)
    }

    @Test("bad sorts are rejected", arguments: ["", "hits", "count:up", "lastSeen:"])
    func rejectsSort(text: String) {
        #expect(IssueSort(parsing: text) == nil)
    }
}

@Suite("Issue query text form")
struct IssueQueryTextTests {
    @Test("description parses back to the same query", arguments: [
        #"service:checkout -env:staging @error.type:KeyError "timed out" retry"#,
        #"error.message:"connection \"db\" refused" -"not this""#,
        "status:resolved is:regression -is:new version:1.4.*",
        #""a:b" "-x" "AND" "back\\slash""#,
        "host:web-1 container:abc language:python fingerprint:deadbeef",
    ])
    func roundTrip(text: String) throws {
        let query = try IssueQuery(parsing: text)
        #expect(try IssueQuery(parsing: query.description) == query)
    }

    @Test("canonical form uses the key's own name")
    func canonicalKeys() throws {
        #expect(try IssueQuery(parsing: "@error.type:X environment:prod type:Y").description == "error.type:X env:prod error.type:Y")
    }
}
