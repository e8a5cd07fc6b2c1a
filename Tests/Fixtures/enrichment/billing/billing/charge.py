"""Charges an order through the gateway."""
from billing.gateway import GatewayError, authorize


class ChargeFailed(Exception):
    pass


def charge_order(order_id, amount_cents):
    try:
        return authorize(amount_cents)
    except GatewayError as error:
        raise ChargeFailed("order %d could not be charged" % order_id) from error
