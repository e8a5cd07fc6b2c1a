extension OpenAPIDocument {
    /// The monitors' schemas, spliced into ``json``'s components.
    static let monitorSchemas = #"""
"MonitorInput": {
            "type": "object",
            "description": "Creating: name, kind and channel are required (threshold too for kind threshold). Changing: fields present replace; null clears renotify and mutedUntil. A bad field answers 400 naming it.",
            "properties": {
              "name": {"type": "string"},
              "kind": {"type": "string", "enum": ["new_issue", "regression", "threshold"]},
              "query": {"type": "string", "description": "Issue query the monitor watches (empty: every issue)."},
              "threshold": {"type": "object", "properties": {"count": {"type": "integer", "minimum": 1, "description": "Fires when more events than this arrive within window."}, "window": {"type": "string", "description": "Whole minutes, 1m to 7d, e.g. 5m."}, "per": {"type": "string", "enum": ["issue", "query"]}}},
              "channel": {"type": "object", "properties": {"type": {"type": "string", "enum": ["webhook", "slack", "pagerduty"]}, "url": {"type": ["string", "null"], "description": "Webhook or Slack URL (must match --allow-notify); for PagerDuty an events URL other than the configured one."}, "secret": {"type": ["string", "null"], "description": "Webhook signing secret (Standard Webhooks)."}, "routingKey": {"type": ["string", "null"], "description": "PagerDuty integration key."}}},
              "renotify": {"type": ["string", "null"], "description": "Notify a still-firing threshold again after this long, e.g. 30m."},
              "mutedUntil": {"type": ["string", "null"], "format": "date-time"}
            }
          },
          "Monitor": {
            "type": "object",
            "required": ["id", "name", "kind", "query", "channel", "state", "pending", "createdAt", "updatedAt"],
            "properties": {
              "id": {"type": "integer", "format": "int64"}, "name": {"type": "string"},
              "kind": {"type": "string", "enum": ["new_issue", "regression", "threshold"]}, "query": {"type": "string"},
              "threshold": {"type": ["object", "null"], "properties": {"count": {"type": "integer"}, "window": {"type": "string"}, "per": {"type": "string"}}},
              "channel": {"type": "object", "properties": {"type": {"type": "string"}, "url": {"type": ["string", "null"], "description": "A Slack URL is shown cut to its host."}, "hasSecret": {"type": "boolean"}, "hasRoutingKey": {"type": "boolean"}}},
              "renotify": {"type": ["string", "null"]}, "mutedUntil": {"type": ["string", "null"], "format": "date-time"},
              "state": {"type": "string", "enum": ["active", "muted", "disabled"], "description": "disabled: the channel answered 410 Gone; changing the channel enables it again."},
              "disabledReason": {"type": ["string", "null"]},
              "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
              "pending": {"type": "integer", "description": "Notifications waiting to be sent or retried."},
              "lastDelivery": {"oneOf": [{"$ref": "#/components/schemas/DeliveryAttempt"}, {"type": "null"}]}
            }
          },
          "DeliveryAttempt": {
            "type": "object",
            "properties": {
              "id": {"type": "integer"}, "notificationID": {"type": "string", "description": "The same on every retry (webhook-id)."},
              "monitorID": {"type": "integer"}, "issueID": {"type": ["integer", "null"]},
              "type": {"type": "string", "enum": ["issue.new", "issue.regression", "monitor.threshold", "monitor.test", "issue.resolved"]},
              "attempt": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
              "statusCode": {"type": ["integer", "null"]}, "error": {"type": ["string", "null"]}, "latencyMillis": {"type": "number"},
              "outcome": {"type": "string", "enum": ["delivered", "pending", "failed"], "description": "The notification's state after this attempt."}
            }
          }
"""#

    /// The monitors' paths, spliced into ``json``'s paths.
    static let monitorPaths = #"""
"/api/v1/monitors": {
          "get": {
            "summary": "Every monitor with its state and last delivery.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "responses": {"200": {"description": "Monitors.", "content": {"application/json": {"schema": {"type": "object", "properties": {"monitors": {"type": "array", "items": {"$ref": "#/components/schemas/Monitor"}}}}}}}, "401": {"$ref": "#/components/responses/Error"}}
          },
          "post": {
            "summary": "Create a monitor: notify a webhook, Slack or PagerDuty about new issues, regressions or thresholds.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MonitorInput"}}}},
            "responses": {
              "201": {"description": "Created.", "content": {"application/json": {"schema": {"type": "object", "properties": {"monitor": {"$ref": "#/components/schemas/Monitor"}}}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/monitors/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
          "get": {
            "summary": "One monitor.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "responses": {"200": {"description": "The monitor.", "content": {"application/json": {"schema": {"type": "object", "properties": {"monitor": {"$ref": "#/components/schemas/Monitor"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          },
          "patch": {
            "summary": "Change a monitor (mute with mutedUntil, unmute with null).",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MonitorInput"}}}},
            "responses": {"200": {"description": "The changed monitor.", "content": {"application/json": {"schema": {"type": "object", "properties": {"monitor": {"$ref": "#/components/schemas/Monitor"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}}
          },
          "delete": {
            "summary": "Delete a monitor and its pending notifications.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "responses": {"204": {"description": "Deleted."}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/monitors/{id}/test": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
          "post": {
            "summary": "Queue a monitor.test notification (sent even when muted); its attempts appear in the delivery log.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "responses": {"202": {"description": "Queued.", "content": {"application/json": {"schema": {"type": "object", "properties": {"notification": {"type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "issueID": {"type": ["integer", "null"]}}}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/monitors/{id}/deliveries": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
          "get": {
            "summary": "The monitor's delivery attempts, newest first: status code, error, latency.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/Limit"}],
            "responses": {"200": {"description": "Attempts.", "content": {"application/json": {"schema": {"type": "object", "properties": {"deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/DeliveryAttempt"}}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/issues/{id}/notifications": {
          "get": {
            "summary": "Which monitors notified about an issue, newest first.",
            "tags": ["monitors"], "security": [{}, {"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/IssueID"}],
            "responses": {"200": {"description": "Notifications.", "content": {"application/json": {"schema": {"type": "object", "properties": {"notifications": {"type": "array", "items": {"type": "object", "properties": {"monitorID": {"type": "integer"}, "monitorName": {"type": "string"}, "notificationID": {"type": "string"}, "type": {"type": "string"}, "state": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}, "deliveredAt": {"type": ["string", "null"], "format": "date-time"}}}}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        }
"""#
}
