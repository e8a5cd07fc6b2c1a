@testable import FaultlineStore
import FaultlineCore
import Foundation
import Testing

@Suite("Stored event JSON")
struct EventJSONTests {
    /// An event with every optional set, awkward strings and odd numbers.
    static func fullEvent() -> GroupedEvent {
        var event = EventFactory.event(container: "3f2a9c1d", fingerprint: "custom-fp")
        event.event.resource = "GET /päth/\u{1F600}?q=\"x\"\\y"
        event.event.errorMessage = "line1\nline2\ttab\r\u{01}\u{1F}end \u{7F} é"
        event.event.fingerprintOverride = "override"
        event.event.metrics = ["a": 1, "b": -0.5, "c": 1e-7, "d": 1.5e300, "e": 4242]
        event.event.origin = .otlp
        event.event.errorSpan = ErrorEvent.ErrorSpan(spanID: "00000000000000aa", operation: "flask.dispatch_request", resource: "GET /x", service: "shop")
        event.stackTrace.warnings = ["dropped 1 line"]
        event.stackTrace.exceptions.append(ExceptionTrace(
            type: "OSError", message: nil,
            frames: [Frame(function: "f", module: nil, file: nil, line: 3, column: 7, inApp: false, context: nil)],
            relation: .cause))
        event.fingerprint.overridden = true
        return event
    }

    @Test("decodes back to the same event", arguments: [fullEvent(), EventFactory.event(env: nil, version: nil, host: nil, language: nil)])
    func roundTrip(event: GroupedEvent) throws {
        let decoded = try StoredEventPayload.decode(EventJSON.encode(event), using: JSONDecoder())
        #expect(decoded == event)
    }

    @Test("a raw trace that differs from error.stack is kept")
    func distinctRaw() throws {
        var event = EventFactory.event()
        event.stackTrace.raw = "something else"
        let data = EventJSON.encode(event)
        #expect(try StoredEventPayload.decode(data, using: JSONDecoder()) == event)
        #expect(try JSONDecoder().decode(GroupedEvent.self, from: data) == event)
    }

    @Test("writes the same JSON object as JSONEncoder (with a raw trace of its own)")
    func matchesJSONEncoder() throws {
        var event = Self.fullEvent()
        event.stackTrace.raw = "not the error.stack"
        let ours = try JSONSerialization.jsonObject(with: EventJSON.encode(event)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? NSDictionary
        #expect(ours != nil)
        #expect(ours == theirs)
    }

    @Test("non-finite metrics are left out instead of failing the event")
    func nonFiniteMetrics() throws {
        var event = EventFactory.event()
        event.event.metrics = ["ok": 2, "nan": .nan, "inf": .infinity]
        let decoded = try StoredEventPayload.decode(EventJSON.encode(event), using: JSONDecoder())
        #expect(decoded.event.metrics == ["ok": 2])
    }

    /// Catches a model field added later that the hand-written encoder does not know: with every optional set,
    /// each stored property must appear as a key.
    @Test("every stored property of the model is written")
    func coversEveryProperty() throws {
        var event = Self.fullEvent()
        event.stackTrace.raw = "not the error.stack"
        let object = try #require(try JSONSerialization.jsonObject(with: EventJSON.encode(event)) as? [String: Any])
        // Previous grouping versions' fingerprints serve ingest's look-up only and are never stored.
        let notStored: Set = ["Fingerprint.previousValues"]
        func check(_ value: Any, _ json: [String: Any]?, _ path: String) {
            let labels = Mirror(reflecting: value).children.compactMap(\.label)
            for label in labels where !notStored.contains("\(path).\(label)") {
                #expect(json?[label] != nil, "EventJSON does not write \(path).\(label)")
            }
        }
        check(event, object, "GroupedEvent")
        let errorJSON = object["event"] as? [String: Any]
        check(event.event, errorJSON, "ErrorEvent")
        if let git = event.event.git { check(git, errorJSON?["git"] as? [String: Any], "GitLink") }
        if let span = event.event.errorSpan { check(span, errorJSON?["errorSpan"] as? [String: Any], "ErrorSpan") }
        let traceJSON = object["stackTrace"] as? [String: Any]
        check(event.stackTrace, traceJSON, "StackTrace")
        let exceptionJSON = (traceJSON?["exceptions"] as? [[String: Any]])?.first
        check(event.stackTrace.exceptions[0], exceptionJSON, "ExceptionTrace")
        let frame = Frame(function: "f", module: "m", file: "x.py", line: 1, column: 2, inApp: true, context: "c")
        var withFrame = event
        withFrame.stackTrace.exceptions[0].frames = [frame]
        let frameObject = try #require(try JSONSerialization.jsonObject(with: EventJSON.encode(withFrame)) as? [String: Any])
        let frameJSON = (((frameObject["stackTrace"] as? [String: Any])?["exceptions"] as? [[String: Any]])?.first?["frames"] as? [[String: Any]])?.first
        check(frame, frameJSON, "Frame")
        check(event.fingerprint, object["fingerprint"] as? [String: Any], "Fingerprint")
    }
}
