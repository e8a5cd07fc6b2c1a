@testable import FaultlineCore
import Testing

/// A payload whose spans share one stack (one v0.5 string-table entry) is parsed once, not once per
/// span: the work of grouping the payload follows its distinct stacks. Counted in steps, never timed.
@Suite struct SharedStackGroupingTests {
    static let stack: String = {
        var text = "Traceback (most recent call last):\n"
        for index in 0..<2_000 {
            text += "  File \"/app/shop/module\(index).py\", line \(index + 1), in handler\(index)\n    call()\n"
        }
        return text + "ValueError: boom\n"
    }()

    private func events(_ count: Int, language: String = "python") -> [ErrorEvent] {
        (0..<count).map { index in
            ErrorEvent(traceID: "\(index)", spanID: "\(index)", service: "shop", errorType: "ValueError",
                       errorMessage: "boom \(index)", errorStack: Self.stack, language: language)
        }
    }

    @Test func aSharedStackIsParsedOncePerPayload() {
        let batch = events(500)
        var parse = 0
        _ = StackTraceParser.parse(Self.stack, language: .python, inApp: .default, reportedMessage: "boom 0", work: &parse)
        #expect(parse > Self.stack.utf8.count)
        var apart = 0
        for event in batch { _ = Grouper().group(event, steps: &apart) }
        var together = 0
        let payload = Grouper().group(batch, steps: &together)
        #expect(payload.count == 500)
        // Exactly 499 parses fewer: the rest of the work (messages, fingerprints) is the same per event.
        #expect(apart - together == 499 * parse)
        #expect(Set(payload.map(\.event.errorMessage)).count == 500)
    }

    @Test func eachEventGroupsAsItWouldAlone() {
        let batch = events(20)
        let together = Grouper().group(batch)
        let apart = batch.map { Grouper().group($0) }
        #expect(together == apart)
    }

    @Test func phpTracesParseAgainForAnotherReportedMessage() {
        let stack = "#0 /app/src/Cart.php(12): Cart->add()\n#1 {main}"
        let first = ErrorEvent(traceID: "1", spanID: "1", service: "shop", errorType: "E",
                               errorMessage: "Uncaught Exception: a in /app/src/Cart.php:10", errorStack: stack + String(repeating: " ", count: 100), language: "php")
        var second = first
        second.errorMessage = "Uncaught Exception: b in /app/src/Cart.php:11"
        let together = Grouper().group([first, second])
        #expect(together == [Grouper().group(first), Grouper().group(second)])
    }
}
