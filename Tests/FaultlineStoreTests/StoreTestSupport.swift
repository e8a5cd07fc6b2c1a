import FaultlineCore
import FaultlineStore
import Foundation

/// A store on a unique temporary directory, removed by `close()`.
struct TemporaryStore {
    let directory: URL
    let configuration: StoreConfiguration
    let store: IssueStore

    init(samplesPerIssue: Int = 100, samplesPerRequest: Int = 1000, eventRetention: TimeInterval = 30 * 86400, autoResolveAfter: TimeInterval = 14 * 86400) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("faultline-store-tests-\(UUID().uuidString)", isDirectory: true)
        configuration = StoreConfiguration(
            dataDirectory: directory.appendingPathComponent("data", isDirectory: true),
            samplesPerIssue: samplesPerIssue,
            samplesPerRequest: samplesPerRequest,
            eventRetention: eventRetention,
            autoResolveAfter: autoResolveAfter
        )
        store = try IssueStore(configuration: configuration)
    }

    /// Opens a second handle on the same directory (another "process").
    func reopen(readOnly: Bool = false) throws -> IssueStore {
        var configuration = configuration
        configuration.readOnly = readOnly
        return try IssueStore(configuration: configuration)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Builds grouped events from a real Python traceback (Tests/Fixtures/store/python_keyerror.txt),
/// with the fingerprint set directly so that store tests do not depend on the grouping algorithm.
enum EventFactory {
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21, on a whole hour + 53 min

    static let pythonTrace: String = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/store/python_keyerror.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static let pythonFrames = [
        Frame(function: "load_cart", module: "app.checkout", file: "/tmp/shop/app/checkout.py", line: 2, context: "return carts[user_id]"),
        Frame(function: "checkout", module: "app.checkout", file: "/tmp/shop/app/checkout.py", line: 6, context: "cart = load_cart(carts, user_id)"),
        Frame(function: "<module>", module: "main", file: "/tmp/shop/main.py", line: 4, context: #"checkout({}, "user-42")"#),
    ]

    static func nextSpanID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))
    }

    static func event(
        type: String = "KeyError",
        message: String = "'user-42'",
        service: String = "checkout",
        env: String? = "prod",
        version: String? = "1.0.0",
        at date: Date = epoch,
        host: String? = "web-1",
        container: String? = nil,
        language: String? = "python",
        fingerprint: String? = nil
    ) -> GroupedEvent {
        let spanID = nextSpanID()
        let error = ErrorEvent(
            traceID: "0000000000000000" + spanID,
            spanID: spanID,
            service: service,
            env: env,
            version: version,
            resource: "POST /checkout",
            operation: "flask.request",
            startNanos: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) * 1000,
            durationNanos: 12_000_000,
            errorType: type,
            errorMessage: message,
            errorStack: pythonTrace,
            language: language,
            spanTags: ["http.method": "POST", "http.route": "/checkout"],
            hostTags: host.map { ["host": $0] } ?? [:],
            containerTags: container.map { ["container_id": $0] } ?? [:],
            metrics: ["_dd.top_level": 1],
            git: GitLink(repositoryURL: "https://github.com/acme/shop", commitSHA: "0123456789abcdef0123456789abcdef01234567")
        )
        let trace = StackTrace(
            language: language.flatMap(Language.init(tag:)) ?? .unknown,
            exceptions: [ExceptionTrace(type: type, message: message, frames: pythonFrames)],
            raw: pythonTrace
        )
        let parts = ["type:\(type)", "message:\(message)", "frame:app.checkout.load_cart", "frame:app.checkout.checkout"]
        return GroupedEvent(
            event: error,
            stackTrace: trace,
            normalizedMessage: message,
            fingerprint: Fingerprint(value: fingerprint ?? parts.joined(separator: "|"), version: 1, parts: parts)
        )
    }
}

extension Date {
    func adding(hours: Double) -> Date { addingTimeInterval(hours * 3600) }
    func adding(days: Double) -> Date { addingTimeInterval(days * 86400) }
}
