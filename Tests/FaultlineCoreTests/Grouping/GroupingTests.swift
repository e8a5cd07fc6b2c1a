import FaultlineTestSupport
import FaultlineCore
import Testing

/// End to end on traces printed by the real runtimes (see Tests/Fixtures/grouping/capture.sh).
@Suite struct GroupingTests {
    static let languages = ["python", "node", "java", "go", "ruby", "php"]

    private func group(_ directory: String, _ name: String, override: String? = nil) throws -> GroupedEvent {
        let fixture = try GroupingFixture.load(directory, name)
        return Grouper().group(fixture.event(language: GroupingFixture.languageTags[directory], override: override))
    }

    private func frameParts(_ grouped: GroupedEvent) -> [String] {
        grouped.fingerprint.parts.filter { $0.hasPrefix("frame:") }
    }

    @Test(arguments: languages)
    func shiftedLinesAndMovedInstallPathKeepOneFingerprint(language: String) throws {
        let v1 = try group(language, "v1-checkout-a")
        let v2 = try group(language, "v2-checkout-a")
        #expect(v1.fingerprint.value == v2.fingerprint.value, "\(v1.fingerprint.parts) vs \(v2.fingerprint.parts)")
        // The frames really took part: validate, charge and checkout are all in the call path.
        let frames = frameParts(v1).joined(separator: " ")
        #expect(frameParts(v1).count >= 3, "\(v1.fingerprint.parts)")
        for function in ["validate", "charge", "checkout"] {
            #expect(frames.contains(function), "\(function) missing from \(frames)")
        }
        // Third-party frames (site-packages / venv, node_modules) are not in-app, whatever their path.
        #expect(!frames.contains("payclient") && !frames.contains("submit"), "\(frames)")
        // Nothing from paths, lines or the release directory leaks into the parts.
        let all = v2.fingerprint.parts.joined(separator: "\n")
        for leak in ["/tmp/", "20261101", "9fceb02", "releases", ".venv"] {
            #expect(!all.contains(leak), "\(leak) leaked into \(all)")
        }
    }

    @Test(arguments: languages)
    func messagesDifferingOnlyInVariablePartsKeepOneFingerprint(language: String) throws {
        let a = try group(language, "v1-checkout-a")
        let b = try group(language, "v1-checkout-b")
        #expect(a.event.errorMessage != b.event.errorMessage)
        #expect(a.normalizedMessage == b.normalizedMessage)
        #expect(a.normalizedMessage.contains("<email>") && a.normalizedMessage.contains("<uuid>"), "\(a.normalizedMessage)")
        #expect(a.fingerprint.value == b.fingerprint.value)
    }

    @Test(arguments: languages)
    func differentTypeGivesAnotherFingerprint(language: String) throws {
        let declined = try group(language, "v1-checkout-a")
        let otherType = try group(language, "v1-other-type-a")
        #expect(declined.event.errorType != otherType.event.errorType)
        #expect(declined.fingerprint.value != otherType.fingerprint.value)
    }

    @Test(arguments: languages)
    func differentInAppCallPathGivesAnotherFingerprint(language: String) throws {
        let checkout = try group(language, "v1-checkout-a")
        let refund = try group(language, "v1-refund-a")
        // Same type and message: only the call path differs.
        #expect(checkout.event.errorType == refund.event.errorType)
        #expect(checkout.normalizedMessage == refund.normalizedMessage)
        #expect(checkout.fingerprint.value != refund.fingerprint.value)
        #expect(frameParts(refund).joined().contains("refund"), "\(refund.fingerprint.parts)")
    }

    @Test(arguments: languages)
    func errorFingerprintTagOverrides(language: String) throws {
        let checkout = try group(language, "v1-checkout-a", override: "payments-declined")
        let refund = try group(language, "v1-refund-a", override: "payments-declined")
        #expect(checkout.fingerprint.value == "payments-declined")
        #expect(checkout.fingerprint.overridden)
        #expect(checkout.fingerprint.value == refund.fingerprint.value)
        #expect(checkout.fingerprint.version == Grouper.version)
    }

    /// Python, Node and Java print the type and message in the trace itself; Go's dd-trace format, Ruby's
    /// backtrace and PHP's getTraceAsString do not, so only the first three can fall back.
    @Test(arguments: ["python", "node", "java"])
    func typeAndMessageFallBackToTheTraceWhenTagsAreEmpty(language: String) throws {
        let fixture = try GroupingFixture.load(language, "v1-checkout-a")
        let tag = GroupingFixture.languageTags[language]
        var event = fixture.event(language: tag)
        event.errorType = ""
        event.errorMessage = ""
        let fromTrace = Grouper().group(event)
        let fromTags = Grouper().group(fixture.event(language: tag))
        #expect(fromTrace.fingerprint.parts.first == "type:\(fixture.type)")
        #expect(fromTrace.fingerprint.value == fromTags.fingerprint.value)
        #expect(fromTrace.stackTrace.raw == fixture.stack)
    }

    @Test(arguments: languages)
    func detectedLanguageGroupsLikeTheTaggedOne(language: String) throws {
        let fixture = try GroupingFixture.load(language, "v1-checkout-a")
        let tagged = Grouper().group(fixture.event(language: GroupingFixture.languageTags[language]))
        let detected = Grouper().group(fixture.event(language: nil))
        #expect(detected.stackTrace.language == tagged.stackTrace.language)
        #expect(detected.fingerprint.value == tagged.fingerprint.value)
    }
}
