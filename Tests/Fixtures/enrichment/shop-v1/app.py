"""A service instrumented with ddtrace: one request fails inside shop.checkout."""
from ddtrace.trace import tracer

from shop.checkout import checkout


def handle_request():
    with tracer.trace("web.request", resource="POST /checkout", span_type="web"):
        return checkout({"apple": "2", "pear": "-1"})


try:
    handle_request()
except ValueError:
    pass

tracer.flush()
tracer.shutdown()
