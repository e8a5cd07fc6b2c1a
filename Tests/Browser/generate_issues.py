"""Writes Datadog v0.4 JSON trace payloads holding many distinct errors, for `faultline ingest`.

Each error is a service entry span (a root span with error = 1 and a Python stack trace) whose
in-app function differs, so every one becomes its own issue. Events spread over the last 30 days
so lists and charts have hourly distributions. Used by the benchmark (10k issues) and the
screenshots, never by the tests' assertions.

    python3 Tests/Browser/generate_issues.py OUT_DIR COUNT [--per-file N] [--seed S]
"""
import argparse
import json
import pathlib
import random
import time

SERVICES = [("checkout", "prod"), ("billing", "prod"), ("search", "prod"), ("inventory", "staging"), ("auth", "prod")]
ERRORS = [
    ("ValueError", "invalid quantity {n} for order {order}", "raise ValueError(\"invalid quantity %d for order %s\" % (qty, order_id))"),
    ("KeyError", "'coupon_{n}'", "return COUPONS[code]"),
    ("TimeoutError", "upstream pricing timed out after {n} ms", "raise TimeoutError(\"upstream pricing timed out after %d ms\" % elapsed)"),
    ("ZeroDivisionError", "division by zero", "share = total / len(items)"),
    ("psycopg2.OperationalError", "could not connect to server: Connection refused (port {n})", "conn = pool.getconn()"),
]


def stack(module, function, line, error_type, message, code):
    exc = error_type
    return (
        "Traceback (most recent call last):\n"
        '  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1484, in full_dispatch_request\n'
        "    rv = self.dispatch_request()\n"
        '  File "/app/shop/views.py", line 88, in handle\n'
        "    return %s(payload)\n"
        '  File "/app/shop/%s.py", line %d, in %s\n'
        "    %s\n"
        "%s: %s\n" % (function, module, line, function, code, exc, message)
    )


def span(trace_id, start_ns, duration_ns, service, env, version, error_type, message, stack_text, i):
    return {
        "trace_id": trace_id, "span_id": trace_id + 1, "parent_id": 0,
        "name": "flask.request", "service": service, "resource": "POST /api/op_%d" % (i % 40),
        "type": "web", "start": start_ns, "duration": duration_ns, "error": 1,
        "meta": {"env": env, "version": version, "language": "python", "error.type": error_type,
                 "error.message": message, "error.stack": stack_text, "http.method": "POST",
                 "_dd.hostname": "web-%d" % (i % 4 + 1), "runtime-id": "bench"},
        "metrics": {"_dd.top_level": 1, "_sampling_priority_v1": 1, "process_id": 4242},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("count", type=int)
    ap.add_argument("--per-file", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-events", type=int, default=3)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    now_ns = time.time_ns()
    traces, files, next_id = [], [], 1000
    for i in range(args.count):
        service, env = SERVICES[i % len(SERVICES)]
        error_type, template, code = ERRORS[i % len(ERRORS)]
        module = "handlers_%d" % (i // 50)
        function = "process_%d" % i
        line = 20 + i % 180
        for _ in range(rnd.randint(1, args.max_events)):
            n = rnd.randint(1, 9999)
            message = template.format(n=n, order="ord-%d" % rnd.randint(1, 99999))
            start = now_ns - rnd.randint(60, 30 * 86400) * 1_000_000_000
            version = "1.%d.%d" % (rnd.randint(2, 4), rnd.randint(0, 9))
            traces.append([span(next_id, start, rnd.randint(1, 900) * 1_000_000, service, env, version,
                                error_type, message, stack(module, function, line, error_type, message, code), i)])
            next_id += 2
        if len(traces) >= args.per_file:
            files.append(traces)
            traces = []
    if traces:
        files.append(traces)
    for n, payload in enumerate(files):
        (out / ("v04-%03d.json" % n)).write_text(json.dumps(payload))
    print(len(files))


if __name__ == "__main__":
    main()
