import FaultlineIntake
import FaultlineTestSupport
import Foundation
import Testing

/// `IntakeRoute` and `PayloadFormat` against the shared media-type table, without HTTP.
@Suite struct IntakeRouteTests {
    @Test("each row selects its format, or is refused as an unsupported media type", arguments: IntakeMediaTypeCase.all)
    func selectsFormat(_ row: IntakeMediaTypeCase) throws {
        let route = try #require(IntakeRoute(rawValue: row.route))
        if let expected = row.format {
            let format = try route.format(contentType: row.contentType)
            #expect(format.rawValue == expected)
            #expect(format.route == route)
            let batch = try format.decode([UInt8](try Data(contentsOf: row.fixtureURL)))
            #expect(batch.stats.errorEvents > 0)
        } else {
            #expect {
                try route.format(contentType: row.contentType)
            } throws: { error in
                (error as? IntakeError)?.kind == .unsupportedMediaType
            }
        }
    }

    @Test("a body that is not of the chosen format is a malformed payload, not a media type error", arguments: PayloadFormat.allCases)
    func malformedIsNotMediaType(_ format: PayloadFormat) {
        #expect {
            try format.decode(Array("{not a payload".utf8) + [0xc1, 0xff])
        } throws: { error in
            (error as? IntakeError)?.kind == .malformedPayload
        }
    }

    @Test("every format belongs to exactly one route and every route lists its formats")
    func routesAndFormats() {
        #expect(IntakeRoute.allCases.flatMap(\.formats).count == PayloadFormat.allCases.count)
        for route in IntakeRoute.allCases {
            #expect(route.formats.filter(\.acceptsMissingContentType).count == 1, "\(route)")
        }
    }
}
