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
