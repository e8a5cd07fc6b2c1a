import FaultlineCore
import Testing

@Suite struct LanguageTests {
    @Test(arguments: [
        ("python", Language.python), ("jvm", .jvm), ("java", .jvm), ("go", .go),
        ("javascript", .nodejs), ("nodejs", .nodejs), ("ruby", .ruby), ("dotnet", .dotnet),
        ("php", .php), ("cpp", .cpp),
    ])
    func tagMapsToLanguage(tag: String, expected: Language) {
        #expect(Language(tag: tag) == expected)
    }

    @Test func unknownTagIsNil() {
        #expect(Language(tag: "cobol") == nil)
    }
}
