import sys
import traceback

import payclient


class PaymentDeclined(Exception):
    pass


def validate(order_id, email, amount, request_id, kind):
    if kind == "other-type":
        raise LookupError(f"order {order_id} for {email} has no price list (request {request_id})")
    raise PaymentDeclined(f"order {order_id} for {email} declined: amount {amount} exceeds limit 10.00 (request {request_id})")


def charge(order_id, email, amount, request_id, kind):
    return payclient.submit(lambda: validate(order_id, email, amount, request_id, kind))


def checkout(order_id, email, amount, request_id, kind):
    return charge(order_id, email, amount, request_id, kind)


def refund(order_id, email, amount, request_id, kind):
    return validate(order_id, email, amount, request_id, kind)


def main():
    kind, order_id, email, amount, request_id = sys.argv[1:6]
    try:
        (refund if kind == "refund" else checkout)(int(order_id), email, amount, request_id, kind)
    except Exception as error:
        # What ddtrace puts in error.type, error.message and error.stack.
        print(f"type: {type(error).__name__}")
        print(f"message: {error}")
        print("---")
        print(traceback.format_exc(), end="")


if __name__ == "__main__":
    main()
