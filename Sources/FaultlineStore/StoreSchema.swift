import FaultlineCore
import Foundation
import GRDB

/// The database schema as named, append-only migrations: never edit a shipped one, add a new one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-issues-events") { db in
            // Dates are INTEGER milliseconds since 1970; an absent env or language is ''
            // so that the issue key (fingerprint, service, env) can be a plain unique index.
            // No indexes on count / last_seen / first_seen: every ingest changes them, and sorting
            // even 100k issues is cheaper than keeping three random-access indexes up to date.
            try db.execute(sql: """
                CREATE TABLE issue (
                    id INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    grouping_version INTEGER NOT NULL,
                    service TEXT NOT NULL,
                    env TEXT NOT NULL,
                    error_type TEXT NOT NULL,
                    message TEXT NOT NULL,
                    latest_message TEXT,
                    language TEXT NOT NULL,
                    culprit TEXT,
                    status TEXT NOT NULL,
                    status_changed_at INTEGER,
                    is_regression INTEGER NOT NULL DEFAULT 0,
                    regressed_in_version TEXT,
                    resolved_in_version TEXT,
                    count INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    first_version TEXT,
                    last_version TEXT,
                    latest_event_id INTEGER
                );
                CREATE UNIQUE INDEX issue_key ON issue(fingerprint, service, env);
                CREATE INDEX issue_by_service ON issue(service, env, status);

                -- Per-issue counters, clustered by issue so that one ingest's updates for an issue land on
                -- one page: hourly counts (kind 0, value = hours since 1970), versions (1), hosts (2),
                -- containers (3). `value` has no type: integers for hours, text otherwise.
                CREATE TABLE issue_stat (
                    issue_id INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    value NOT NULL,
                    count INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    PRIMARY KEY (issue_id, kind, value)
                ) WITHOUT ROWID;

                CREATE TABLE event (
                    id INTEGER PRIMARY KEY,
                    issue_id INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    version TEXT,
                    host TEXT,
                    payload BLOB NOT NULL
                );
                CREATE INDEX event_by_issue ON event(issue_id, id);
                CREATE INDEX event_by_received_at ON event(received_at);

                CREATE TABLE status_change (
                    id INTEGER PRIMARY KEY,
                    issue_id INTEGER NOT NULL,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    cause TEXT NOT NULL,
                    version TEXT
                );
                CREATE INDEX status_change_by_issue ON status_change(issue_id, id);

                CREATE TABLE service_version (
                    service TEXT NOT NULL,
                    env TEXT NOT NULL,
                    version TEXT NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    PRIMARY KEY (service, env, version)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-repositories-enrichment") { db in
            // Repository URLs are stored as the enrichment layer canonicalises them (`key`) and as
            // shown to users (`repository_url`, never with credentials). An absent version is ''.
            try db.execute(sql: """
                CREATE TABLE repository_link (
                    id INTEGER PRIMARY KEY,
                    service TEXT NOT NULL,
                    version TEXT NOT NULL,
                    repository_key TEXT NOT NULL,
                    repository_url TEXT NOT NULL,
                    ref TEXT,
                    mappings TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX repository_link_by_service ON repository_link(service, version);

                CREATE TABLE repository_status (
                    repository_key TEXT PRIMARY KEY,
                    repository_url TEXT NOT NULL,
                    state TEXT NOT NULL,
                    last_error TEXT,
                    last_fetch_at INTEGER,
                    updated_at INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE issue_enrichment (
                    issue_id INTEGER PRIMARY KEY,
                    event_id INTEGER NOT NULL,
                    repository_key TEXT,
                    sources BLOB NOT NULL,
                    enriched_at INTEGER NOT NULL
                );
                CREATE INDEX issue_enrichment_by_repository ON issue_enrichment(repository_key);
                """)
        }
        migrator.registerMigration("v3-event-keys") { db in
            // Every error span counted, by (trace id, span id): a tracer's resend after a timeout adds nothing.
            // Kept as long as events are (retention), clustered by key, no rowid: ~40 bytes an event.
            try db.execute(sql: """
                CREATE TABLE event_key (
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    PRIMARY KEY (trace_id, span_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-enrichment-retries") { db in
            // An enrichment that failed for a reason that may pass (repository unreachable, token wrong,
            // commit not pushed yet) is tried again at `retry_at`, with backoff from `failing_since`.
            try db.execute(sql: """
                ALTER TABLE issue_enrichment ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE issue_enrichment ADD COLUMN failing_since INTEGER;
                ALTER TABLE issue_enrichment ADD COLUMN retry_at INTEGER;
                CREATE INDEX issue_enrichment_by_retry ON issue_enrichment(retry_at) WHERE retry_at IS NOT NULL;
                ALTER TABLE repository_status ADD COLUMN next_attempt_at INTEGER;
                """)
        }
        migrator.registerMigration("v5-version-pins-sync") { db in
            // A link by branch or tag is resolved to a commit when a version is first enriched, and that
            // commit is kept for the version: the branch moving on never changes the code shown for it.
            // `sync_request` holds when `repos sync` last asked for failed mirrors to be retried at once.
            try db.execute(sql: """
                CREATE TABLE version_pin (
                    service TEXT NOT NULL,
                    version TEXT NOT NULL,
                    repository_key TEXT NOT NULL,
                    ref TEXT NOT NULL,
                    commit_sha TEXT NOT NULL,
                    pinned_at INTEGER NOT NULL,
                    PRIMARY KEY (service, version, repository_key, ref)
                ) WITHOUT ROWID;
                CREATE TABLE sync_request (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    requested_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v6-event-parts") { db in
            // Store each distinct stack trace, tag map and issue-level part of an event once (`event_part`,
            // found by a 64-bit content hash, equal bytes checked), referenced from the event row, which keeps
            // only what varies per event (~100 bytes of JSON) and the span ids. Parts no event refers to are
            // deleted by retention, which moves `event_part_generation` on so that writers forget cached ids.
            // The unused `version` and `host` columns of events go (hosts and versions are counted in issue_stat).
            // Existing events are converted in place, ids kept; a payload that does not decode fails the migration.
            try db.execute(sql: """
                CREATE TABLE event_part (
                    id INTEGER PRIMARY KEY,
                    hash INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX event_part_by_hash ON event_part(hash);
                CREATE TABLE event_part_generation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    value INTEGER NOT NULL
                );
                INSERT INTO event_part_generation (id, value) VALUES (1, 0);
                CREATE TABLE event_v6 (
                    id INTEGER PRIMARY KEY,
                    issue_id INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    stack_part INTEGER NOT NULL,
                    shared_part INTEGER NOT NULL,
                    span_tags_part INTEGER NOT NULL,
                    host_tags_part INTEGER NOT NULL,
                    container_tags_part INTEGER NOT NULL,
                    metrics_part INTEGER NOT NULL,
                    payload BLOB NOT NULL
                );
                """)
            let insert = try db.makeStatement(sql: """
                INSERT INTO event_v6 (id, issue_id, received_at, occurred_at, trace_id, span_id, stack_part, shared_part,
                                      span_tags_part, host_tags_part, container_tags_part, metrics_part, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let decoder = JSONDecoder()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, issue_id, received_at, occurred_at, trace_id, span_id, payload FROM event ORDER BY id")
            while let row = try rows.next() {
                let payload: Data = row["payload"]
                let grouped: GroupedEvent
                do {
                    grouped = try StoredEventPayload.decode(payload, using: decoder)
                } catch {
                    throw StoreError(.corruptData, operation: "migrate", detail: "stored event payload is not a valid GroupedEvent")
                }
                let parts = try EventPartCache.uncachedIDs(for: grouped, in: db)
                let id: Int64 = row["id"]
                let issueID: Int64 = row["issue_id"]
                let receivedAt: Int64 = row["received_at"]
                let occurredAt: Int64 = row["occurred_at"]
                try insert.execute(arguments: [
                    id, issueID, receivedAt, occurredAt, grouped.event.traceID, grouped.event.spanID, parts.stack, parts.shared,
                    parts.spanTags, parts.hostTags, parts.containerTags, parts.metrics, EventJSON.encodeOwn(grouped.event),
                ])
            }
            try db.execute(sql: """
                DROP TABLE event;
                ALTER TABLE event_v6 RENAME TO event;
                CREATE INDEX event_by_issue ON event(issue_id, id);
                CREATE INDEX event_by_received_at ON event(received_at);
                """)
        }
        migrator.registerMigration("v7-service-traffic") { db in
            // Entry spans and error spans per (service, env, version) and hour, error or not: intake
            // aggregates them in memory and adds each flush's counts here (never a write per span).
            try db.execute(sql: """
                CREATE TABLE service_traffic (
                    service TEXT NOT NULL,
                    env TEXT NOT NULL,
                    version TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    entry_spans INTEGER NOT NULL,
                    error_spans INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    PRIMARY KEY (service, env, version, hour)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v8-api-tokens") { db in
            // Scoped API tokens (only a SHA-256 hash of each secret), explorer sessions (only a hash of the
            // cookie's id; a session made with the configured api-token keeps a hash binding it to that value),
            // the audit list of state changes, and who made each status change.
            try db.execute(sql: """
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    created_by TEXT,
                    last_used_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE TABLE api_session (
                    id_hash TEXT PRIMARY KEY,
                    token_id INTEGER REFERENCES api_token(id),
                    api_token_binding TEXT,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX api_session_by_token ON api_session(token_id);
                CREATE TABLE audit_entry (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    status INTEGER
                );
                ALTER TABLE status_change ADD COLUMN actor TEXT;
                """)
        }
        migrator.registerMigration("v9-monitors-outbox") { db in
            // Monitors and their durable outbox. A notification row is written in the transaction of the
            // event that caused it; the per-(monitor, issue) state row is the compare-and-set that keeps it
            // to one per cause, also with several servers. `monitor_revision.token` changes (randomly) with
            // every monitor change, so ingest keeps its monitor list cached and checks one row per transaction.
            try db.execute(sql: """
                CREATE TABLE monitor (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    query TEXT NOT NULL,
                    threshold_count INTEGER,
                    threshold_window INTEGER,
                    threshold_per TEXT,
                    channel_type TEXT NOT NULL,
                    channel_url TEXT,
                    channel_secret TEXT,
                    routing_key TEXT,
                    renotify INTEGER,
                    muted_until INTEGER,
                    disabled_at INTEGER,
                    disabled_reason TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE monitor_revision (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    token INTEGER NOT NULL
                );
                INSERT INTO monitor_revision (id, token) VALUES (1, random());

                -- cause: the last cause notified ('new', 'regression:<millis>', 'threshold'); firing: a
                -- threshold is over its count; triggered: a PagerDuty incident is open for the issue.
                CREATE TABLE monitor_issue_state (
                    monitor_id INTEGER NOT NULL,
                    issue_id INTEGER NOT NULL,
                    cause TEXT,
                    notified_at INTEGER,
                    firing INTEGER NOT NULL DEFAULT 0,
                    triggered INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (monitor_id, issue_id)
                ) WITHOUT ROWID;
                CREATE INDEX monitor_issue_state_by_issue ON monitor_issue_state(issue_id);

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    notification_id TEXT NOT NULL UNIQUE,
                    monitor_id INTEGER NOT NULL,
                    issue_id INTEGER,
                    type TEXT NOT NULL,
                    state TEXT NOT NULL,
                    count INTEGER,
                    created_at INTEGER NOT NULL,
                    due_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until INTEGER,
                    delivered_at INTEGER
                );
                CREATE INDEX outbox_due ON outbox(state, due_at) WHERE state = 'pending';
                CREATE INDEX outbox_by_issue ON outbox(issue_id);
                CREATE INDEX outbox_by_monitor ON outbox(monitor_id, id);

                CREATE TABLE delivery (
                    id INTEGER PRIMARY KEY,
                    outbox_id INTEGER NOT NULL,
                    monitor_id INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    status_code INTEGER,
                    error TEXT,
                    latency_ms REAL NOT NULL,
                    outcome TEXT NOT NULL
                );
                CREATE INDEX delivery_by_monitor ON delivery(monitor_id, id);

                -- Events per issue and minute of receive time, kept only while a threshold monitor exists.
                CREATE TABLE issue_minute (
                    issue_id INTEGER NOT NULL,
                    minute INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (issue_id, minute)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
