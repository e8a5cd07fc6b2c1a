import FaultlineCore
import Foundation
import GRDB

/// Issues and their events in SQLite (`<dataDirectory>/faultline.sqlite`, WAL): safe to share across tasks,
/// and several processes may open the same directory (one writer at a time, readers never blocked).
///
/// Lifecycle rules, following Datadog's Error Tracking:
/// - An issue is keyed by (fingerprint, service, env).
/// - `excluded` issues count new events (count, last seen, hourly counts, versions) but store none.
/// - A `resolved` issue seen again in a version other than `resolvedInVersion` reopens as a regression
///   (`open`, `isRegression`, `regressedInVersion`); in the same version it stays resolved (old instances
///   still draining). Resolved without a known version, any new event reopens it.
/// - ``autoResolve(now:)`` resolves open and acknowledged issues not seen for `autoResolveAfter` when their
///   service (same env) has since run a newer version the issue never appeared in. Service versions come
///   from error events and from `versionsSeen` (intake may report versions of non-error traffic).
/// - Every status change is a row of the status history: creation, user changes, regressions, auto-resolution.
/// - `isNew`: first seen less than two days before the read.
///
/// Times: first/last seen and hourly counts use when an event happened (span start; receive time when the
/// span has none); retention uses when it was received. Samples: the newest `samplesPerIssue` stored events
/// per issue, at most `samplesPerRequest` from one call; the latest event is never deleted by retention.
/// Durability: WAL with synchronous=NORMAL: a committed ingest survives a process crash (kill -9).
public final class IssueStore: Sendable {
    public let configuration: StoreConfiguration
    let pool: DatabasePool
    private let writer: IngestWriter

    /// Opens (creating unless read-only) the store and brings its schema up to date.
    public init(configuration: StoreConfiguration) throws {
        var configuration = configuration
        configuration.samplesPerIssue = max(1, configuration.samplesPerIssue)
        configuration.samplesPerRequest = max(1, configuration.samplesPerRequest)
        self.configuration = configuration
        let fileManager = FileManager.default
        if configuration.readOnly {
            guard fileManager.fileExists(atPath: configuration.databaseURL.path) else {
                throw StoreError(.open, operation: "open", detail: "no database in the data directory")
            }
        } else {
            do {
                try fileManager.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.open, operation: "open", detail: "cannot create the data directory")
            }
        }
        var databaseConfiguration = Configuration()
        databaseConfiguration.label = "faultline"
        databaseConfiguration.readonly = configuration.readOnly
        databaseConfiguration.busyMode = .timeout(configuration.busyTimeout)
        databaseConfiguration.maximumReaderCount = 4
        databaseConfiguration.prepareDatabase { db in
            // WAL with synchronous=NORMAL survives a process crash (kill -9) with every commit intact;
            // only a power loss may roll back the last transactions.
            if !db.configuration.readonly {
                // Effective only when the file is created (before WAL is set up; older stores keep theirs).
                // Since schema v6 an event row is ~200 bytes, and what a commit writes is mostly index and
                // issue pages dirtied at random: 4 KiB pages halve those bytes (measured ~1.5x the events per
                // CPU-second of 8 KiB pages, same footprint).
                try db.execute(sql: "PRAGMA page_size = 4096")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Hot pages are rewritten by every commit: checkpoint in bigger steps (64 MiB of WAL).
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                // The writer touches issue, count and index pages all over the file: keep more of them
                // (16 MiB; no mmap, whose mapped pages would count against the server's RSS budget).
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
        }
        do {
            pool = try DatabasePool(path: configuration.databaseURL.path, configuration: databaseConfiguration)
            let migrator = StoreSchema.migrator
            if configuration.readOnly {
                try pool.read { db in
                    guard try migrator.hasCompletedMigrations(db) else {
                        throw StoreError(.schema, operation: "open", detail: "database schema is not up to date; open it once read-write")
                    }
                }
            } else {
                try migrator.migrate(pool)
            }
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw StoreError(.schema, operation: "open", detail: "database was written by a newer Faultline")
            }
        } catch {
            throw StoreError.wrap(error, operation: "open")
        }
        writer = IngestWriter(pool: pool, samplesPerIssue: configuration.samplesPerIssue)
    }

    /// Closes the database connections; later calls fail. Closing is otherwise automatic when the store is released.
    public func close() throws {
        do {
            try pool.close()
        } catch {
            throw StoreError.wrap(error, operation: "close")
        }
    }

    // MARK: Writing

    /// Stores grouped events into their issues; returns once they are committed. Concurrent calls share transactions.
    /// `versionsSeen` reports service versions seen in non-error traffic (for auto-resolution).
    @discardableResult
    public func ingest(_ events: [GroupedEvent], versionsSeen: [ServiceVersion] = [], receivedAt: Date = Date()) async throws -> IngestSummary {
        try requireWritable("ingest")
        guard !events.isEmpty || !versionsSeen.isEmpty else { return IngestSummary() }
        let batch = PreparedBatch(events: events, receivedAt: receivedAt, versionsSeen: versionsSeen, samplesPerRequest: min(configuration.samplesPerIssue, configuration.samplesPerRequest))
        return try await writer.submit(batch)
    }

    // MARK: Helpers

    func requireWritable(_ operation: String) throws {
        if configuration.readOnly {
            throw StoreError(.readOnly, operation: operation, detail: "the store was opened read-only")
        }
    }

    func perform<T>(_ operation: String, _ body: (DatabasePool) async throws -> T) async throws -> T {
        do {
            return try await body(pool)
        } catch {
            throw StoreError.wrap(error, operation: operation)
        }
    }
}
