"""A service instrumented with ddtrace whose requests fail: argv count, first index, 'same' or 'distinct'.

'distinct' raises Failure<first+i> in request i (a new issue each, the type being part of the
fingerprint); 'same' raises the same error every time (one issue, many events).
"""
import sys

from ddtrace.trace import tracer

count, first, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def failure_type(index):
    name = "Failure" if mode == "same" else "Failure%d" % index
    return type(name, (Exception,), {})


def charge(index):
    raise failure_type(index)("charge failed for order %d" % index)


def handle_request(index):
    with tracer.trace("web.request", resource="POST /orders/%d" % index, span_type="web"):
        charge(index)


for i in range(first, first + count):
    try:
        handle_request(i)
    except Exception:
        pass

tracer.flush()
tracer.shutdown()
