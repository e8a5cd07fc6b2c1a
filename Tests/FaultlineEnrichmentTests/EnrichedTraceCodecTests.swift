import FaultlineEnrichment
import Foundation
import Testing

/// The stored form of enrichments: versioned, readable back, and loud about what it cannot read.
@Suite struct EnrichedTraceCodecTests {
    static let trace = EnrichedTrace(
        repositoryURL: "https://github.com/acme/shop",
        commitSHA: String(repeating: "a", count: 40),
        exceptions: [[
            FrameSource(path: "shop/cart.py", line: 12, status: .resolved, reason: "found at the commit"),
            FrameSource(status: .notInRepository, reason: "no file of the commit ends with site-packages/x.py"),
        ]],
        suspectCommit: nil
    )

    @Test func roundTripsInAVersionedEnvelope() throws {
        let data = try EnrichedTraceCodec.encode(Self.trace)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == EnrichedTraceCodec.currentVersion)
        #expect(object["trace"] is [String: Any])
        #expect(try EnrichedTraceCodec.decode(data) == Self.trace)
    }

    @Test func readsTheBareTraceWrittenBeforeTheEnvelope() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let legacy = try encoder.encode(Self.trace)
        #expect(try EnrichedTraceCodec.decode(legacy) == Self.trace)
    }

    @Test func readsVersionOneWithItsSnakeCaseKeys() throws {
        // As version 1 stored it, before the API's keys became camelCase.
        let stored = #"""
            {"trace": {"commit_sha": "abc", "exceptions": [[{"commit_sha": "abc", "line": 3, "path": "a.py", "reason": "found",
            "repository_url": "https://github.com/acme/shop", "snippet": [], "status": "resolved", "suspect_commit": {"author_email": "ada@example.com",
            "author_name": "Ada", "authored_at": "2024-03-01T12:00:00Z", "line": 3, "path": "a.py", "sha": "abc", "summary": "Fix"}, "url": null}]],
            "repository_url": "https://github.com/acme/shop", "suspect_commit": null}, "version": 1}
            """#
        let trace = try EnrichedTraceCodec.decode(Data(stored.utf8))
        #expect(trace.commitSHA == "abc" && trace.repositoryURL == "https://github.com/acme/shop")
        let frame = try #require(trace.exceptions.first?.first)
        #expect(frame.commitSHA == "abc" && frame.repositoryURL == "https://github.com/acme/shop")
        #expect(frame.suspectCommit?.authorName == "Ada" && frame.suspectCommit?.authorEmail == "ada@example.com")
        // Written again, it is version 2 and camelCase.
        let rewritten = String(decoding: try EnrichedTraceCodec.encode(trace), as: UTF8.self)
        #expect(rewritten.contains(#""commitSHA""#) && rewritten.contains(#""authorName""#) && !rewritten.contains("_"))
    }

    @Test(arguments: [
        (#"{"version": 99, "trace": {}}"#, "unknown version 99"),
        (#"{"version": 1, "trace": {"exceptions": 5}}"#, "v1 does not decode"),
        (#"{"exceptions": "nope"}"#, "(unversioned) does not decode"),
        ("[1, 2]", "not a JSON object"),
        ("", "not a JSON object"),
    ])
    func refusesWhatItCannotRead(stored: String, reason: String) {
        #expect {
            try EnrichedTraceCodec.decode(Data(stored.utf8))
        } throws: { error in
            (error as? EnrichedTraceCodec.DecodingFailure)?.reason.contains(reason) == true
        }
    }
}
