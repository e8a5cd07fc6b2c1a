<?php

namespace Shop\Checkout;

/** Raised when an order cannot be checked out; its previous exception says why. */
final class CheckoutFailed extends \RuntimeException
{
}
