"""A small service instrumented by the real ddtrace library, used by Faultline's integration tests.

It sends its traces to DD_TRACE_AGENT_URL and produces, on purpose:
- `checkout` entry spans that fail with a stack (3 traces -> one issue with count 3),
- a `payments` span under a `checkout` parent that fails with a stack (entry span of another service),
- a non-entry child error span (same service as its parent, which succeeds),
- an entry error span without a stack (error tags set by hand).
"""
import sys

from ddtrace.trace import tracer


class PaymentDeclined(Exception):
    pass


def charge(order_id):
    raise PaymentDeclined("card declined by issuer")


def checkout(order_id):
    raise ValueError("invalid quantity in cart")


def main():
    for order_id in (101, 102, 103):
        try:
            with tracer.trace("web.request", service="checkout", resource="POST /checkout"):
                checkout(order_id)
        except ValueError:
            pass

    with tracer.trace("web.request", service="checkout", resource="POST /pay"):
        try:
            with tracer.trace("payments.charge", service="payments", resource="charge"):
                charge(7)
        except PaymentDeclined:
            pass

    with tracer.trace("web.request", service="checkout", resource="GET /cart"):
        try:
            with tracer.trace("cart.load", service="checkout", resource="load"):
                raise KeyError("cart-session")
        except KeyError:
            pass

    with tracer.trace("web.request", service="checkout", resource="GET /health") as span:
        span.error = 1
        span.set_tag("error.type", "HealthCheckFailed")
        span.set_tag("error.message", "dependency down")

    tracer.flush()
    tracer.shutdown()
    print("ddtrace app done", file=sys.stderr)


if __name__ == "__main__":
    main()
