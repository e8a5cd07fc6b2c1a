/// The OpenAPI 3.1 description of every route, served at `/api/v1/openapi.json`.
/// Written by hand; `OpenAPIDocumentTests` checks that it lists exactly the router's routes.
public enum OpenAPIDocument {
    private static let datadogV04 = #"""
{
          "summary": "Datadog trace-agent v0.4 traces: msgpack (or JSON) array of traces, each an array of span maps.",
          "tags": ["intake"], "security": [{}, {"ddApiKey": []}],
          "requestBody": {"required": true, "content": {"application/msgpack": {"schema": {"type": "string", "format": "binary"}}, "application/json": {"schema": {"type": "array"}}}},
          "responses": {
            "200": {"description": "Committed; sampling rates as the agent answers.", "content": {"application/json": {"schema": {"type": "object", "properties": {"rate_by_service": {"type": "object", "additionalProperties": {"type": "number"}}}}}}},
            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
            "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
          }
        }
"""#

    private static let datadogV05 = #"""
{
          "summary": "Datadog trace-agent v0.5 traces: msgpack [string table, traces] with 12-element span arrays.",
          "tags": ["intake"], "security": [{}, {"ddApiKey": []}],
          "requestBody": {"required": true, "content": {"application/msgpack": {"schema": {"type": "string", "format": "binary"}}}},
          "responses": {
            "200": {"description": "Committed; sampling rates as the agent answers.", "content": {"application/json": {"schema": {"type": "object", "properties": {"rate_by_service": {"type": "object", "additionalProperties": {"type": "number"}}}}}}},
            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
            "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
          }
        }
"""#

    public static let json: String = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Faultline",
        "version": "\#(FaultlineVersion.number)",
        "description": "Self-hosted error tracker: tracer intake (Datadog agent protocol, OTLP/HTTP) and the issue API. Errors answer {\"error\": reason}; query errors add a 1-based \"position\"; a known path with another method answers 405 with an Allow header. Every answer carries x-request-id."
      },
      "servers": [{"url": "http://localhost:8126"}],
      "components": {
        "securitySchemes": {
          "bearer": {"type": "http", "scheme": "bearer", "description": "Needed on /api/v1 once the server has an api-token configured or a token created (faultline tokens create, POST /api/v1/tokens). A token's scope decides what it may do: read may only GET; write may also change issues, links and monitors (every other method under /api/v1); admin may also use /api/v1/tokens and /api/v1/audit. The configured api-token is an admin token. Missing or invalid: 401; beyond the scope: 403."},
          "session": {"type": "apiKey", "in": "cookie", "name": "faultline_session", "description": "The explorer's session, set by POST /api/v1/session (HttpOnly, SameSite=Strict, Secure behind an https public-url; ends after 7 days idle, 30 days in all, on sign-out, or when its token is revoked). Same scopes as bearer tokens; a request that changes state must carry an Origin (or Referer) of the server's own origin, else 403."},
          "ddApiKey": {"type": "apiKey", "in": "header", "name": "DD-API-KEY", "description": "Required on trace intake when the server has an intake key configured."}
        },
        "parameters": {
          "IssueID": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}},
          "Query": {"name": "q", "in": "query", "description": "Issue query, e.g. service:checkout env:prod -status:ignored \"timeout\". Also accepted as 'query'.", "schema": {"type": "string"}},
          "Sort": {"name": "sort", "in": "query", "description": "count, lastSeen or firstSeen, optionally :asc or :desc.", "schema": {"type": "string"}},
          "Order": {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
          "From": {"name": "from", "in": "query", "description": "Only issues seen at or after this time (ISO 8601).", "schema": {"type": "string", "format": "date-time"}},
          "To": {"name": "to", "in": "query", "description": "Only issues seen at or before this time (ISO 8601).", "schema": {"type": "string", "format": "date-time"}},
          "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
          "Cursor": {"name": "cursor", "in": "query", "description": "Opaque cursor from the previous page's nextCursor.", "schema": {"type": "string"}}
        },
        "responses": {
          "Error": {"description": "Error with a reason.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}, "position": {"type": "integer", "description": "1-based column of a query error."}}
          },
          "IssueStatus": {"type": "string", "enum": ["open", "acknowledged", "resolved", "ignored", "excluded"]},
          "Frame": {
            "type": "object",
            "properties": {
              "function": {"type": "string"}, "module": {"type": "string"}, "file": {"type": "string"},
              "line": {"type": "integer"}, "column": {"type": "integer"}, "inApp": {"type": "boolean"}, "context": {"type": "string"},
              "source": {"description": "The code at the commit that ran; null until the event is enriched: the latest event by the enrichment worker, sample events (/issues/{id}/events) on first read from mirrors already present (a read never clones or fetches; a missing commit is fetched in the background and the source says so).", "oneOf": [{"$ref": "#/components/schemas/FrameSource"}, {"type": "null"}]}
            }
          },
          "FrameSource": {
            "type": "object",
            "required": ["repositoryURL", "commitSHA", "path", "line", "status", "reason", "url", "snippet", "suspectCommit"],
            "properties": {
              "repositoryURL": {"type": ["string", "null"], "description": "Repository URL without credentials."},
              "commitSHA": {"type": ["string", "null"]},
              "path": {"type": ["string", "null"], "description": "Repository-relative path at the commit."},
              "line": {"type": ["integer", "null"]},
              "status": {"type": "string", "enum": ["resolved", "not_in_repository", "ambiguous", "repository_unavailable", "commit_not_found", "line_out_of_range", "binary_file", "source_mismatch", "not_allowed", "no_commit"], "description": "repository_unavailable and commit_not_found are retried with backoff (healing); not_allowed and no_commit need a change of configuration or tags."},
              "reason": {"type": "string", "description": "One human line: how the path was found, or why no code is shown."},
              "url": {"type": ["string", "null"], "description": "Permalink to the line at the commit (GitHub, GitLab, Bitbucket, Azure DevOps)."},
              "snippet": {"type": "array", "items": {"$ref": "#/components/schemas/SnippetLine"}},
              "suspectCommit": {"oneOf": [{"$ref": "#/components/schemas/SuspectCommit"}, {"type": "null"}]}
            }
          },
          \#(monitorSchemas),
          "SnippetLine": {
            "type": "object", "required": ["line", "text", "highlight"],
            "properties": {"line": {"type": "integer"}, "text": {"type": "string"}, "highlight": {"type": "boolean", "description": "True on the frame's own line."}}
          },
          "SuspectCommit": {
            "type": "object", "description": "Blame of the frame's line at the commit.",
            "properties": {
              "sha": {"type": "string"}, "authorName": {"type": "string"}, "authorEmail": {"type": "string"},
              "authoredAt": {"type": "string", "format": "date-time"}, "summary": {"type": "string"}, "path": {"type": "string"}, "line": {"type": "integer"}
            }
          },
          "PathMapping": {
            "type": "object", "required": ["stackRoot", "sourceRoot"],
            "properties": {"stackRoot": {"type": "string", "description": "Path prefix as the runtime printed it."}, "sourceRoot": {"type": "string", "description": "Repository directory it corresponds to."}}
          },
          "RepositoryLink": {
            "type": "object",
            "properties": {
              "id": {"type": "integer", "format": "int64"}, "service": {"type": "string"},
              "version": {"type": ["string", "null"], "description": "null: every version of the service."},
              "repositoryKey": {"type": "string"}, "repositoryURL": {"type": "string", "description": "Without credentials."},
              "ref": {"type": ["string", "null"], "description": "Commit, branch or tag to read when events name no commit. A branch or tag is resolved when a version is first enriched and pinned for that version (see VersionPin); a version is never re-resolved."},
              "mappings": {"type": "array", "items": {"$ref": "#/components/schemas/PathMapping"}},
              "createdAt": {"type": "string", "format": "date-time"}
            }
          },
          "Service": {
            "type": "object",
            "properties": {
              "service": {"type": "string"}, "env": {"type": ["string", "null"]},
              "versions": {"type": "array", "items": {"type": "object", "properties": {
                "version": {"type": ["string", "null"]}, "firstSeen": {"type": "string", "format": "date-time"}, "lastSeen": {"type": "string", "format": "date-time"},
                "entrySpans": {"type": "integer"}, "errorSpans": {"type": "integer"}, "errorRate": {"type": "number", "description": "errorSpans / entrySpans."},
                "newIssues": {"type": "integer", "description": "Issues first seen in this version."},
                "hourly": {"type": "array", "items": {"type": "object", "properties": {"hour": {"type": "string", "format": "date-time"}, "entrySpans": {"type": "integer"}, "errorSpans": {"type": "integer"}}}}
              }}}
            }
          },
          "VersionPin": {
            "type": "object", "description": "The commit a link's branch or tag named when this service version was first enriched.",
            "properties": {
              "service": {"type": "string"}, "version": {"type": ["string", "null"]}, "repositoryKey": {"type": "string"},
              "ref": {"type": "string"}, "commitSHA": {"type": "string"}, "pinnedAt": {"type": "string", "format": "date-time"}
            }
          },
          "RepositoryStatus": {
            "type": "object",
            "properties": {
              "repositoryKey": {"type": "string"}, "repositoryURL": {"type": "string"},
              "state": {"type": "string", "enum": ["cloning", "fetching", "mirrored", "failed"]},
              "lastError": {"type": ["string", "null"]}, "lastFetchAt": {"type": ["string", "null"], "format": "date-time"},
              "updatedAt": {"type": "string", "format": "date-time"},
              "nextAttemptAt": {"type": ["string", "null"], "format": "date-time", "description": "When enrichments waiting on this repository are retried next (backoff after a failure)."}
            }
          },
          "Issue": {
            "type": "object",
            "required": ["id", "fingerprint", "service", "status", "errorType", "message", "count", "firstSeen", "lastSeen", "versions"],
            "properties": {
              "id": {"type": "integer", "format": "int64"},
              "fingerprint": {"type": "string"},
              "groupingVersion": {"type": "integer"},
              "service": {"type": "string"},
              "env": {"type": "string"},
              "errorType": {"type": "string"},
              "message": {"type": "string"},
              "language": {"type": "string"},
              "status": {"$ref": "#/components/schemas/IssueStatus"},
              "isRegression": {"type": "boolean"},
              "regressedInVersion": {"type": "string"},
              "resolvedInVersion": {"type": "string"},
              "count": {"type": "integer", "format": "int64"},
              "firstSeen": {"type": "string", "format": "date-time"},
              "lastSeen": {"type": "string", "format": "date-time"},
              "firstVersion": {"type": "string"},
              "lastVersion": {"type": "string"},
              "versions": {"type": "array", "items": {"type": "string"}},
              "culprit": {"type": "string"},
              "statusChangedAt": {"type": "string", "format": "date-time"},
              "latestMessage": {"type": "string", "description": "Raw message of the latest event."},
              "latestEventID": {"type": "integer", "format": "int64"},
              "isNew": {"type": "boolean"}
            }
          },
          "Event": {
            "type": "object",
            "description": "One stored error event: span identity, tags, Git link and parsed stack frames.",
            "required": ["traceID", "spanID", "service", "errorType", "errorMessage"],
            "properties": {
              "id": {"type": "integer", "format": "int64"},
              "issueID": {"type": "integer", "format": "int64"},
              "traceID": {"type": "string"}, "spanID": {"type": "string"},
              "service": {"type": "string"}, "env": {"type": "string"}, "version": {"type": "string"},
              "resource": {"type": "string"}, "operation": {"type": "string"},
              "timestamp": {"type": "string", "format": "date-time", "description": "When it happened (span start)."},
              "receivedAt": {"type": "string", "format": "date-time"},
              "fingerprint": {"type": "string"},
              "durationNanos": {"type": "integer", "format": "int64"},
              "errorType": {"type": "string"}, "errorMessage": {"type": "string"}, "errorStack": {"type": "string"},
              "language": {"type": "string"},
              "spanTags": {"type": "object", "additionalProperties": {"type": "string"}},
              "hostTags": {"type": "object", "additionalProperties": {"type": "string"}},
              "containerTags": {"type": "object", "additionalProperties": {"type": "string"}},
              "metrics": {"type": "object", "additionalProperties": {"type": "number"}},
              "git": {"type": "object", "properties": {"repositoryURL": {"type": "string"}, "commitSHA": {"type": "string"}}},
              "errorSpan": {"type": "object", "description": "The span below the event's span that carried the error (a framework's view span under a request span that only marked error = 1); absent when the event's own span did.", "properties": {"spanID": {"type": "string"}, "operation": {"type": "string"}, "resource": {"type": "string"}, "service": {"type": "string"}}},
              "frames": {"type": "array", "items": {"$ref": "#/components/schemas/Frame"}},
              "exceptions": {"type": "array", "description": "The chain, the reported exception first, then what it was caused by (`cause`), raised while handling (`context`) or suppressed; every frame of every exception carries its `source` once enriched.", "items": {"type": "object", "properties": {"type": {"type": "string"}, "message": {"type": "string"}, "relation": {"type": "string", "enum": ["primary", "cause", "context", "suppressed"]}, "frames": {"type": "array", "items": {"$ref": "#/components/schemas/Frame"}}}}}
            }
          },
          "IssuePage": {
            "type": "object", "required": ["issues"],
            "properties": {
              "issues": {"type": "array", "items": {"$ref": "#/components/schemas/Issue"}},
              "nextCursor": {"type": "string", "description": "Pass as cursor for the next page; absent on the last page."},
              "total": {"type": "integer", "description": "Issues matching the query in all pages."}
            }
          },
          "IssueDetail": {
            "type": "object", "required": ["issue", "isNew", "hourlyCounts", "statusHistory", "versions", "hosts", "containers"],
            "properties": {
              "issue": {"$ref": "#/components/schemas/Issue"},
              "latestEvent": {"$ref": "#/components/schemas/Event"},
              "isNew": {"type": "boolean", "description": "First seen within the last 2 days."},
              "hourlyCounts": {"type": "array", "description": "Events per hour, oldest first.", "items": {"type": "object", "properties": {"hour": {"type": "string", "format": "date-time"}, "count": {"type": "integer"}}}},
              "statusHistory": {"type": "array", "description": "Every status change, oldest first.", "items": {"type": "object", "properties": {
                "at": {"type": "string", "format": "date-time"}, "from": {"$ref": "#/components/schemas/IssueStatus"}, "to": {"$ref": "#/components/schemas/IssueStatus"},
                "cause": {"type": "string", "enum": ["created", "user", "regression", "autoResolve"]}, "version": {"type": "string"},
                "actor": {"$ref": "#/components/schemas/Actor"}}}},
              "versions": {"type": "array", "items": {"$ref": "#/components/schemas/SeenValue"}},
              "hosts": {"type": "array", "items": {"$ref": "#/components/schemas/SeenValue"}},
              "containers": {"type": "array", "items": {"$ref": "#/components/schemas/SeenValue"}}
            }
          },
          "EventPage": {
            "type": "object", "required": ["events"],
            "properties": {
              "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
              "nextCursor": {"type": "string"}
            }
          },
          "Facets": {
            "type": "object",
            "description": "For each facet key (service, env, version, status, error.type, host, language), the values and their issue counts.",
            "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}}
          },
          "ExportedIssue": {"$ref": "#/components/schemas/IssueDetail", "description": "Each exported issue has the same shape as GET /api/v1/issues/{id}."},
          "Readiness": {
            "type": "object", "required": ["status", "checks"],
            "properties": {
              "status": {"type": "string", "enum": ["ready", "notReady"]},
              "checks": {"type": "object", "required": ["storeWritable", "migrationsApplied"], "properties": {"storeWritable": {"type": "boolean"}, "migrationsApplied": {"type": "boolean"}}}
            }
          },
          "Actor": {
            "type": "object", "required": ["kind"], "description": "Who made a change; never a secret.",
            "properties": {"kind": {"type": "string", "enum": ["token", "api-token", "cli", "anonymous"], "description": "anonymous: the API had no token configured or created."}, "tokenID": {"type": "integer", "format": "int64"}, "name": {"type": "string"}}
          },
          "TokenScope": {"type": "string", "enum": ["read", "write", "admin"]},
          "Token": {
            "type": "object", "required": ["id", "name", "scope", "createdAt"],
            "properties": {
              "id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}, "scope": {"$ref": "#/components/schemas/TokenScope"},
              "createdAt": {"type": "string", "format": "date-time"}, "createdBy": {"$ref": "#/components/schemas/Actor"},
              "lastUsedAt": {"type": "string", "format": "date-time", "description": "Updated at most once a minute."},
              "revokedAt": {"type": "string", "format": "date-time"}
            }
          },
          "Session": {
            "type": "object", "required": ["actor", "scope", "createdAt", "lastSeenAt", "expiresAt"],
            "properties": {
              "actor": {"$ref": "#/components/schemas/Actor"}, "scope": {"$ref": "#/components/schemas/TokenScope"},
              "createdAt": {"type": "string", "format": "date-time"}, "lastSeenAt": {"type": "string", "format": "date-time"},
              "expiresAt": {"type": "string", "format": "date-time", "description": "7 days after the last request, at most 30 days after sign-in."}
            }
          },
          "AuditEntry": {
            "type": "object", "required": ["id", "at", "actor", "action"],
            "properties": {
              "id": {"type": "integer", "format": "int64"}, "at": {"type": "string", "format": "date-time"}, "actor": {"$ref": "#/components/schemas/Actor"},
              "action": {"type": "string", "description": "The API request (method and path, e.g. PATCH /api/v1/issues/3) or the CLI command (tokens revoke 2, issues resolved 3)."},
              "status": {"type": "integer", "description": "HTTP status answered; absent for CLI changes."}
            }
          },
          "SeenValue": {
            "type": "object",
            "properties": {"value": {"type": "string"}, "count": {"type": "integer"}, "firstSeen": {"type": "string", "format": "date-time"}, "lastSeen": {"type": "string", "format": "date-time"}}
          }
        }
      },
      "paths": {
        "/info": {
          "get": {
            "summary": "Datadog agent discovery: version and the trace endpoints served.",
            "tags": ["intake"],
            "responses": {"200": {"description": "Agent info.", "content": {"application/json": {"schema": {"type": "object", "properties": {"version": {"type": "string"}, "endpoints": {"type": "array", "items": {"type": "string"}}, "client_drop_p0s": {"type": "boolean"}}}}}}}
          }
        },
        "/v0.4/traces": {
          "put": \#(datadogV04),
          "post": \#(datadogV04)
        },
        "/v0.5/traces": {
          "put": \#(datadogV05),
          "post": \#(datadogV05)
        },
        "/v1/traces": {
          "post": {
            "summary": "OTLP/HTTP trace export (ExportTraceServiceRequest).",
            "tags": ["intake"],
            "security": [{}, {"ddApiKey": []}],
            "requestBody": {"required": true, "content": {"application/x-protobuf": {"schema": {"type": "string", "format": "binary"}}, "application/json": {"schema": {"type": "object"}}}},
            "responses": {
              "200": {"description": "Committed. An empty ExportTraceServiceResponse (no bytes in protobuf, {} in JSON).", "content": {"application/x-protobuf": {"schema": {"type": "string", "format": "binary"}}, "application/json": {"schema": {"type": "object"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
              "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/issues": {
          "get": {
            "summary": "List issues matching a query.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [
              {"$ref": "#/components/parameters/Query"}, {"$ref": "#/components/parameters/Sort"}, {"$ref": "#/components/parameters/Order"},
              {"$ref": "#/components/parameters/From"}, {"$ref": "#/components/parameters/To"}, {"$ref": "#/components/parameters/Limit"},
              {"$ref": "#/components/parameters/Cursor"},
              {"name": "hourly", "in": "query", "schema": {"type": "boolean"}, "description": "true: each issue also carries hourlyCounts (events per hour, oldest first, as in the issue detail) over from…to (default the last 24 hours), read from the hourly rollup in the same request."}
            ],
            "responses": {
              "200": {"description": "A page of issues (with hourly=true, each issue has hourlyCounts too).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IssuePage"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/issues/{id}": {
          "get": {
            "summary": "One issue with its latest event.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"$ref": "#/components/parameters/IssueID"}],
            "responses": {
              "200": {"description": "The issue.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IssueDetail"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
            }
          },
          "patch": {
            "summary": "Change an issue's status.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"$ref": "#/components/parameters/IssueID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"$ref": "#/components/schemas/IssueStatus"}}}}}},
            "responses": {
              "200": {"description": "The updated issue.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Issue"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/issues/{id}/events": {
          "get": {
            "summary": "Stored events of an issue, newest first.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"$ref": "#/components/parameters/IssueID"}, {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Cursor"}],
            "responses": {
              "200": {"description": "A page of events.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventPage"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/export": {
          "get": {
            "summary": "Every issue matching a query with its latest event, streamed in id order.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "ndjson"], "default": "json"}},
              {"$ref": "#/components/parameters/Query"}, {"$ref": "#/components/parameters/From"}, {"$ref": "#/components/parameters/To"}
            ],
            "responses": {
              "200": {"description": "A JSON array, or one JSON object per line.", "content": {
                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/ExportedIssue"}}},
                "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/ExportedIssue"}}
              }},
              "400": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/services": {
          "get": {
            "summary": "Each service's versions with first/last seen, entry spans, error spans, error rate and new issues (every entry span counts, error or not).",
            "tags": ["services"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "Hourly traffic from this time on (totals always cover everything kept)."}],
            "responses": {
              "200": {"description": "Services, newest version first.", "content": {"application/json": {"schema": {"type": "object", "properties": {"services": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}}}}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/facets": {
          "get": {
            "summary": "Values of each facet with issue counts, over issues matching a query.",
            "tags": ["issues"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"$ref": "#/components/parameters/Query"}, {"$ref": "#/components/parameters/From"}, {"$ref": "#/components/parameters/To"}],
            "responses": {
              "200": {"description": "Facets.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Facets"}}}},
              "400": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/repos": {
          "get": {
            "summary": "Manual repository links and the state of every mirror.",
            "tags": ["repositories"], "security": [{}, {"bearer": []}, {"session": []}],
            "responses": {
              "200": {"description": "Links, version pins and mirrors.", "content": {"application/json": {"schema": {"type": "object", "properties": {"links": {"type": "array", "items": {"$ref": "#/components/schemas/RepositoryLink"}}, "pins": {"type": "array", "items": {"$ref": "#/components/schemas/VersionPin"}}, "repositories": {"type": "array", "items": {"$ref": "#/components/schemas/RepositoryStatus"}}}}}}},
              "401": {"$ref": "#/components/responses/Error"}
            }
          },
          "post": {
            "summary": "Link a service (or one version) to a repository; replaces its earlier link and re-enriches its issues.",
            "tags": ["repositories"], "security": [{}, {"bearer": []}, {"session": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["service", "url"], "properties": {"service": {"type": "string"}, "url": {"type": "string", "description": "Credentials in the URL are dropped; configure tokens on the server."}, "version": {"type": "string"}, "ref": {"type": "string", "description": "Commit SHA to read when events name none."}, "mappings": {"type": "array", "items": {"$ref": "#/components/schemas/PathMapping"}}}}}}},
            "responses": {
              "201": {"description": "The stored link.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RepositoryLink"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          },
          "delete": {
            "summary": "Remove the link of a service (and version).",
            "tags": ["repositories"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [
              {"name": "service", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "version", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"204": {"description": "Removed."}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/repos/sync": {
          "post": {
            "summary": "Drop stored enrichments (all, or one service's) so the worker redoes them, fetching what is missing.",
            "tags": ["repositories"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"name": "service", "in": "query", "schema": {"type": "string"}}],
            "responses": {
              "202": {"description": "Queued.", "content": {"application/json": {"schema": {"type": "object", "properties": {"invalidated": {"type": "integer"}}}}}},
              "401": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/session": {
          "get": {
            "summary": "Whether the API needs a credential, and who this request is (open: never 401).",
            "tags": ["auth"], "security": [{}, {"bearer": []}, {"session": []}],
            "responses": {"200": {"description": "Sign-in state.", "content": {"application/json": {"schema": {"type": "object", "required": ["authRequired", "signedIn"], "properties": {
              "authRequired": {"type": "boolean"}, "signedIn": {"type": "boolean"}, "credential": {"type": "string", "enum": ["bearer", "session"]},
              "scope": {"$ref": "#/components/schemas/TokenScope"}, "actor": {"$ref": "#/components/schemas/Actor"}}}}}}}
          },
          "post": {
            "summary": "Sign in with a token (the api-token or a created one): sets the session cookie. Refused (403) when posted by another origin's page.",
            "tags": ["auth"], "security": [{}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
            "responses": {
              "201": {"description": "Signed in; Set-Cookie faultline_session.", "content": {"application/json": {"schema": {"type": "object", "required": ["session"], "properties": {"session": {"$ref": "#/components/schemas/Session"}}}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          },
          "delete": {
            "summary": "Sign out: ends the session and clears the cookie (from the server's own pages only).",
            "tags": ["auth"], "security": [{}, {"session": []}],
            "responses": {"204": {"description": "Signed out."}, "403": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/tokens": {
          "get": {
            "summary": "Every token, revoked ones too; never a secret (admin).",
            "tags": ["auth"], "security": [{}, {"bearer": []}, {"session": []}],
            "responses": {
              "200": {"description": "Tokens, oldest first.", "content": {"application/json": {"schema": {"type": "object", "required": ["tokens"], "properties": {"tokens": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}}}}}},
              "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}
            }
          },
          "post": {
            "summary": "Create a token (admin). The secret is in this answer only; the server keeps a SHA-256 hash of it.",
            "tags": ["auth"], "security": [{}, {"bearer": []}, {"session": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "scope"], "properties": {"name": {"type": "string", "maxLength": 100}, "scope": {"$ref": "#/components/schemas/TokenScope"}}}}}},
            "responses": {
              "201": {"description": "The new token with its secret.", "content": {"application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "object", "required": ["id", "name", "scope", "secret"], "properties": {
                "id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}, "scope": {"$ref": "#/components/schemas/TokenScope"}, "secret": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}}}}}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/tokens/{id}": {
          "delete": {
            "summary": "Revoke a token (admin): it and its sessions stop working at once. Revoking a revoked token changes nothing.",
            "tags": ["auth"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
            "responses": {"204": {"description": "Revoked."}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/audit": {
          "get": {
            "summary": "State changes, newest first, with who made them (admin): every accepted non-GET API request, sign-ins and sign-outs, and token and status changes made by the CLI.",
            "tags": ["auth"], "security": [{}, {"bearer": []}, {"session": []}],
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Cursor"}],
            "responses": {
              "200": {"description": "A page of entries.", "content": {"application/json": {"schema": {"type": "object", "required": ["entries"], "properties": {"entries": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}, "nextCursor": {"type": "string"}}}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        \#(monitorPaths),
        "/api/v1/openapi.json": {
          "get": {
            "summary": "This document.",
            "tags": ["meta"],
            "responses": {"200": {"description": "OpenAPI 3.1 document.", "content": {"application/json": {"schema": {"type": "object"}}}}}
          }
        },
        "/metrics": {
          "get": {
            "summary": "Prometheus metrics of this server (text exposition format 0.0.4); every name starts with faultline_. No credentials or user data.",
            "tags": ["operations"],
            "responses": {"200": {"description": "Counters, gauges and histograms.", "content": {"text/plain": {"schema": {"type": "string"}}}}}
          }
        },
        "/healthz": {
          "get": {
            "summary": "Liveness: the process answers.",
            "tags": ["operations"],
            "responses": {"200": {"description": "Up.", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}}
          }
        },
        "/readyz": {
          "get": {
            "summary": "Readiness: the store is writable and its migrations are applied.",
            "tags": ["operations"],
            "responses": {
              "200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
              "503": {"description": "Not ready; the checks say why.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}}
            }
          }
        }
      }
    }
    """#
}
