"""A payment gateway client that rejects large amounts."""


class GatewayError(Exception):
    pass


def authorize(amount_cents):
    if amount_cents > 1000:
        raise GatewayError("gateway declined %d cents" % amount_cents)
    return "auth-1"
