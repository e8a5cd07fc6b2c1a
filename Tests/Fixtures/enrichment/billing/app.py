"""A service instrumented with ddtrace: a charge fails in the gateway client, and the service
wraps that error (`raise ... from`), so the event is a chain of two exceptions whose frames are
all in this repository."""
from ddtrace.trace import tracer

from billing.charge import charge_order


def handle_request():
    with tracer.trace("web.request", resource="POST /charge", span_type="web"):
        return charge_order(42, 1999)


try:
    handle_request()
except Exception:
    pass

tracer.flush()
tracer.shutdown()
