@testable import FaultlineCore
import Testing

/// One real trace as printed and as dd-trace-java shortens it past its length limit (see SOURCES.md,
/// `java/ledger_*.txt`): parsing, in-app flags and grouping must not depend on the shortening.
@Suite struct JavaTruncationTests {
    static let full = "java/ledger_full.txt"
    static let abbreviated = "java/ledger_abbreviated.txt"
    static let trimmed = "java/ledger_trimmed.txt"
    static let centreCut = "java/ledger_centre_cut.txt"

    static func event(_ path: String) throws -> ErrorEvent {
        ErrorEvent(
            traceID: "1", spanID: "2", service: "ledger", errorType: "java.lang.IllegalStateException",
            errorMessage: "posting failed for account ACC-42", errorStack: try Fixtures.text(path), language: "jvm")
    }

    @Test(arguments: [full, abbreviated, trimmed])
    func everyExceptionOfTheChainSurvives(path: String) throws {
        let trace = StackTraceParser.parse(try Fixtures.text(path), language: .jvm)
        #expect(
            trace.exceptions.map(\.type) == [
                "java.lang.IllegalStateException", "com.acme.ledger.JournalException", "java.io.IOException",
                "java.lang.IllegalStateException",
            ])
        #expect(trace.exceptions.map(\.relation) == [.primary, .cause, .cause, .suppressed])
        #expect(trace.exceptions[0].message == "posting failed for account ACC-42")
        // No frame is made of a marker line.
        let functions = trace.exceptions.flatMap(\.frames).compactMap(\.function)
        #expect(!functions.contains { $0.contains("trimmed") || $0.contains("more") })
    }

    @Test func trimmedTraceKeepsHeadAndTailWithAWarning() throws {
        let trace = StackTraceParser.parse(try Fixtures.text(Self.trimmed), language: .jvm)
        #expect(trace.exceptions.map(\.frames.count) == [12, 2, 12, 2])
        #expect(trace.warnings.contains { $0.contains("trimmed 30 frames") })
        #expect(trace.warnings.contains { $0.contains("abbreviated package names") })
        let primary = trace.exceptions[0].frames
        #expect(primary[0].module == "c.a.l.LedgerService")
        #expect(primary[0].function == "post")
        #expect(primary[0].file == "LedgerService.java")
        #expect(primary[0].line == 10)
        #expect(primary[11].module == "j.b.l.Thread")
    }

    @Test func fullTraceHasNoTruncationWarning() throws {
        #expect(StackTraceParser.parse(try Fixtures.text(Self.full), language: .jvm).warnings.isEmpty)
    }

    @Test(arguments: [full, abbreviated, trimmed])
    func inAppFlagsAgreeAcrossForms(path: String) throws {
        let trace = StackTraceParser.parse(try Fixtures.text(path), language: .jvm)
        for frame in trace.exceptions.flatMap(\.frames) {
            let app = frame.module?.hasPrefix("com.acme.") == true || frame.module?.hasPrefix("c.a.") == true
            #expect(frame.inApp == app, "\(frame.module ?? "-").\(frame.function ?? "-")")
        }
    }

    @Test func abbreviatedFormsGroupWithTheFullTrace() throws {
        let grouper = Grouper()
        let full = grouper.group(try Self.event(Self.full)).fingerprint
        let abbreviated = grouper.group(try Self.event(Self.abbreviated)).fingerprint
        let trimmed = grouper.group(try Self.event(Self.trimmed)).fingerprint
        #expect(full.version == 3)
        #expect(abbreviated.value == full.value, "\(abbreviated.parts) vs \(full.parts)")
        #expect(trimmed.value == full.value, "\(trimmed.parts) vs \(full.parts)")
        // The tail frame kept by the trim is hashed in both.
        #expect(full.parts.contains("frame:c.a.l.LedgerController.lambda$main"))
        #expect(full.parts.contains("frame:c.a.l.LedgerService.post"))
    }

    @Test func anotherBugStaysAnotherIssue() throws {
        var other = try Self.event(Self.full)
        other.errorStack = other.errorStack.replacingOccurrences(of: "LedgerService.post(", with: "LedgerService.refund(")
        #expect(Grouper().group(other).fingerprint.value != Grouper().group(try Self.event(Self.full)).fingerprint.value)
    }

    @Test func centreCutTraceDropsCutLinesAndKeepsTheHead() throws {
        let trace = StackTraceParser.parse(try Fixtures.text(Self.centreCut), language: .jvm)
        #expect(trace.warnings.contains { $0.contains("cut the middle") })
        #expect(trace.exceptions[0].type == "java.lang.IllegalStateException")
        // `at o.a.c.c.ApplicationFilterChain.doFilter(` is cut before its `)`: no frame.
        #expect(trace.exceptions[0].frames.count == 9)
        // After the cut: frames whose header was cut away, under an exception of unknown type.
        #expect(trace.exceptions[1].type == nil)
        #expect(trace.exceptions[1].frames.first?.module == "c.a.l.JournalRepository")
        #expect(trace.exceptions.last?.relation == .suppressed)
        let files = trace.exceptions.flatMap(\.frames).compactMap(\.file)
        #expect(files.allSatisfy { $0.hasSuffix(".java") })
    }

    @Test(arguments: [
        ("o.s.w.s.FrameworkServlet", false), ("j.i.r.NativeMethodAccessorImpl", false),
        ("o.a.c.c.ApplicationFilterChain", false), ("j.l.Thread", false), ("j.b.l.Thread", false),
        ("k.c.DispatchedTask", false), ("c.f.j.d.ObjectMapper", false),
        ("c.a.l.LedgerService", true), ("d.a.s.Cart", true), ("n.a.Shop", true), ("s.e.s.Shop", true),
        ("o.Buffer", true), ("LedgerService", true),
        // Unabbreviated names are judged by their packages as before, never by initials.
        ("com.shop.Cart", true), ("org.springframework.web.servlet.FrameworkServlet", false),
    ])
    func abbreviatedLibraryFrames(module: String, inApp: Bool) {
        #expect(InAppRules.default.isInApp(file: nil, module: module, function: "f", language: .jvm) == inApp)
    }

    @Test func anIncludeNamingAnAppPackageMatchesItsAbbreviation() {
        // `org.acme.` reads as `o.a.` like `org.apache.`: the include keeps the app's frames in-app.
        let rules = InAppRules(includes: ["org.acme"])
        #expect(!InAppRules.default.isInApp(file: nil, module: "o.a.l.Ledger", function: "f", language: .jvm))
        #expect(rules.isInApp(file: nil, module: "o.a.l.Ledger", function: "f", language: .jvm))
        #expect(!rules.isInApp(file: nil, module: "o.s.w.s.FrameworkServlet", function: "f", language: .jvm))
    }

    @Test(arguments: [
        ("com.acme.ledger.LedgerService", "c.a.l.LedgerService"), ("LedgerService", "LedgerService"),
        ("c.a.l.LedgerService", "c.a.l.LedgerService"), ("com.acme.Ledger$Entry", "c.a.Ledger$Entry"),
    ])
    func abbreviation(full: String, abbreviated: String) {
        #expect(JVMPackageAbbreviation.abbreviated(full) == abbreviated)
    }
}

/// dd-trace-php's `error.message` (`Uncaught Type: msg in /abs/path/file.php:13`) groups and titles by the
/// exception's own message: the install path, line and catch state do not split issues.
@Suite struct PHPReportedMessageTests {
    static func grouped(_ message: String) throws -> GroupedEvent {
        let stack = try Fixtures.text("php/ddtrace_previous.txt")
        return Grouper().group(
            ErrorEvent(
                traceID: "1", spanID: "2", service: "shop", errorType: "RuntimeException", errorMessage: message,
                errorStack: stack, language: "php"))
    }

    @Test func stateAndThrowPositionDoNotSplitIssues() throws {
        let uncaught = try Self.grouped("Uncaught RuntimeException: gateway answered 503 in /srv/a/src/OrderService.php:22")
        let moved = try Self.grouped("Caught RuntimeException: gateway answered 503 in /opt/b/src/OrderService.php:25")
        let status = try Self.grouped(
            "Uncaught RuntimeException (500 Internal Server Error): gateway answered 503 in /srv/a/src/OrderService.php:22")
        #expect(uncaught.fingerprint.value == moved.fingerprint.value)
        #expect(uncaught.fingerprint.value == status.fingerprint.value)
        #expect(uncaught.fingerprint.parts.contains("message:gateway answered <int>"))
        #expect(uncaught.event.errorMessage == "gateway answered 503")
        // Issues made by version 2 from the raw message are still found.
        let raw = "Uncaught RuntimeException: gateway answered 503 in /srv/a/src/OrderService.php:22"
        let version2 = Fingerprinter.hash(
            ["type:RuntimeException", "message:\(MessageNormalizer.normalize(raw).text)"]
                + uncaught.fingerprint.parts.filter { $0.hasPrefix("cause:") || $0.hasPrefix("frame:") }, version: 2)
        #expect(uncaught.fingerprint.previousValues.first == version2)
    }

    @Test func otherMessagesAreKeptAsTheyAre() throws {
        let plain = try Self.grouped("gateway answered 503 in /srv/a/src/OrderService.php:22")
        #expect(plain.event.errorMessage == "gateway answered 503 in /srv/a/src/OrderService.php:22")
    }
}

/// An issue made by grouping version 2 from an abbreviated trace (its frames then all counted in-app) is
/// found again from the v2 value computed for a new event.
@Suite struct JavaTruncationUpgradeTests {
    @Test func version2ValueOfAnAbbreviatedTraceIsTheOneVersion2Computed() throws {
        let event = try JavaTruncationTests.event(JavaTruncationTests.abbreviated)
        let grouped = Grouper().group(event)
        // Version 2: full module names as printed, in-app by full package prefixes only, all frames.
        var legacy = grouped.stackTrace
        for e in legacy.exceptions.indices {
            for f in legacy.exceptions[e].frames.indices {
                let module = legacy.exceptions[e].frames[f].module ?? ""
                legacy.exceptions[e].frames[f].inApp = !BuiltInLibraryRules.hasAnyPrefix(
                    module, BuiltInLibraryRules.jvmLibraryPrefixes)
            }
        }
        var steps = 0
        let frames = Fingerprinter.frameParts(of: legacy, version: 2, steps: &steps).parts
        #expect(frames.contains("frame:j.b.i.r.NativeMethodAccessorImpl.invoke0"))
        let parts =
            ["type:java.lang.IllegalStateException", "message:posting failed for account ACC-<int>"]
            + ["cause:JournalException", "cause:IOException"] + frames
        #expect(grouped.fingerprint.previousValues.first == Fingerprinter.hash(parts, version: 2))
    }
}
