"""A small shop instrumented by the real ddtrace library: the errors the explorer's browser tests read.

It sends its traces to DD_TRACE_AGENT_URL (a started `faultline serve`) and fails on purpose:
- `checkout` entry spans raising ValueError in `validate_quantity` (3 traces, 3 quantities -> one issue, count 3),
- a `pricing` entry span raising KeyError in `apply_coupon`,
- an `inventory` entry span in env `staging` raising a custom OutOfStock error,
- a `billing` entry span raising ChargeFailed from a GatewayError (a chain: the cause's code matters most),
- an `orders` request span that only marks error = 1 while its view span carries the exception (as
  ddtrace's Flask integration sends them).
The browser tests read these line numbers back from the API and compare the page with this file.
"""
import sys

from ddtrace.trace import tracer


class OutOfStock(Exception):
    pass


COUPONS = {"SAVE10": 10}


def validate_quantity(quantity):
    if quantity > 99:
        raise ValueError("invalid quantity in cart: %d" % quantity)
    return quantity


def apply_coupon(code):
    return COUPONS[code]


def reserve(sku, wanted):
    raise OutOfStock("only 0 left of %s, wanted %d" % (sku, wanted))


class GatewayError(Exception):
    pass


class ChargeFailed(Exception):
    pass


def authorize(amount):
    raise GatewayError("gateway declined %d cents" % amount)


def charge(order_id, amount):
    try:
        authorize(amount)
    except GatewayError as error:
        raise ChargeFailed("order %d could not be charged" % order_id) from error


def main():
    for quantity in (120, 250, 999):
        try:
            with tracer.trace("web.request", service="checkout", resource="POST /checkout"):
                validate_quantity(quantity)
        except ValueError:
            pass

    try:
        with tracer.trace("web.request", service="pricing", resource="GET /price"):
            apply_coupon("FREE100")
    except KeyError:
        pass

    try:
        with tracer.trace("worker.run", service="inventory", resource="reserve") as span:
            span.set_tag("env", "staging")
            reserve("sku-42", 2)
    except OutOfStock:
        pass

    try:
        with tracer.trace("web.request", service="billing", resource="POST /charge"):
            charge(42, 1999)
    except ChargeFailed:
        pass

    with tracer.trace("web.request", service="orders", resource="GET /orders") as request:
        try:
            with tracer.trace("orders.view", service="orders", resource="list_orders"):
                apply_coupon("NOPE")
        except KeyError:
            request.error = 1

    tracer.flush()
    tracer.shutdown()
    print("error app done", file=sys.stderr)


if __name__ == "__main__":
    main()
