<?php

namespace Shop\Checkout;

/** Totals an order's items against the price list. */
final class OrderService
{
    public function __construct(private PriceList $prices)
    {
    }

    public function checkout(array $order): int
    {
        try {
            $cents = array_map(fn (string $item) => $this->prices->price($item), $order['items']);
        } catch (\OutOfBoundsException $e) {
            throw new CheckoutFailed("checkout of order {$order['id']} failed", 0, $e);
        }
        return array_sum($cents);
    }
}
