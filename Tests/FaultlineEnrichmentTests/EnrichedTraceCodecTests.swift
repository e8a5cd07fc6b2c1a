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
