<?php
namespace App;

class PaymentDeclined extends \RuntimeException {}

class Orders
{
    public function validate(int $orderId, string $email, string $amount, string $requestId, string $kind): void
    {
        if ($kind === 'other-type') {
            throw new \DomainException("order $orderId for $email has no price list (request $requestId)");
        }
        throw new PaymentDeclined("order $orderId for $email declined: amount $amount exceeds limit 10.00 (request $requestId)");
    }

    public function charge(int $orderId, string $email, string $amount, string $requestId, string $kind): void
    {
        array_map(fn ($id) => $this->validate($id, $email, $amount, $requestId, $kind), [$orderId]);
    }

    public function checkout(int $orderId, string $email, string $amount, string $requestId, string $kind): void
    {
        $this->charge($orderId, $email, $amount, $requestId, $kind);
    }

    public function refund(int $orderId, string $email, string $amount, string $requestId, string $kind): void
    {
        $this->validate($orderId, $email, $amount, $requestId, $kind);
    }
}
