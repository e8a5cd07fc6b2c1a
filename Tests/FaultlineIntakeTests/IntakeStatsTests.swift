import FaultlineIntake
import Testing

@Suite struct IntakeStatsTests {
    @Test func sumAddsEveryCounter() {
        let lhs = IntakeStats(spansScanned: 10, errorEvents: 1, skippedNotEntry: 2, skippedNoError: 5, skippedNoStack: 1, skippedMalformed: 1)
        let rhs = IntakeStats(spansScanned: 3, errorEvents: 0, skippedNotEntry: 0, skippedNoError: 3, skippedNoStack: 0, skippedMalformed: 0)
        #expect(lhs + rhs == IntakeStats(spansScanned: 13, errorEvents: 1, skippedNotEntry: 2, skippedNoError: 8, skippedNoStack: 1, skippedMalformed: 1))
    }
}
