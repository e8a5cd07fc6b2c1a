<?php
require __DIR__ . '/src/Orders.php';

[, $kind, $orderId, $email, $amount, $requestId] = $argv;
try {
    $orders = new App\Orders();
    $kind === 'refund'
        ? $orders->refund((int) $orderId, $email, $amount, $requestId, $kind)
        : $orders->checkout((int) $orderId, $email, $amount, $requestId, $kind);
} catch (\Throwable $error) {
    // What dd-trace-php puts in error.type, error.message and error.stack.
    echo "type: " . get_class($error) . "\n";
    echo "message: " . $error->getMessage() . "\n";
    echo "---\n";
    echo $error->getTraceAsString() . "\n";
}
