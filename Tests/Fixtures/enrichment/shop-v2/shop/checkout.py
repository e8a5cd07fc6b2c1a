"""Checkout: turns a cart into a total quantity.

Version 2 adds this docstring and a helper, shifting every line below.
"""


def describe(cart):
    return ", ".join("%s x%s" % (item, quantity) for item, quantity in cart.items())


def parse_quantity(text):
    value = int(text)
    if value <= 0:
        raise ValueError("quantity must be positive, got %d" % value)
    return value


def checkout(cart):
    total = 0
    for item, quantity in cart.items():
        total += parse_quantity(quantity)
    return total
