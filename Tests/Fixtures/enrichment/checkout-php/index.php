<?php
// Checks out one order and prints the error as dd-trace-php tags it (ddtrace_exception_to_meta):
// error.type and error.message name the innermost previous exception, and error.stack is that
// exception's trace followed by a "Next" section for each exception that wrapped it.
// Run with zend.exception_ignore_args=1: the tracer prints traces without arguments.

require __DIR__ . '/src/Checkout/CheckoutFailed.php';
require __DIR__ . '/src/Checkout/PriceList.php';
require __DIR__ . '/src/Checkout/OrderService.php';

function datadog_error_tags(Throwable $thrown): array
{
    $stack = $thrown->getTraceAsString();
    $exception = $thrown;
    while (($previous = $exception->getPrevious()) !== null) {
        $message = $exception->getMessage();
        $stack = $previous->getTraceAsString() . "\n\nNext " . get_class($exception)
            . ($message !== '' ? ': ' . $message : '') . ' in ' . $exception->getFile() . ':' . $exception->getLine()
            . "\nStack trace:\n" . $stack;
        $exception = $previous;
    }
    $message = $exception->getMessage();
    return [
        get_class($exception),
        'Uncaught ' . get_class($exception) . ($message !== '' ? ': ' . $message : '')
            . ' in ' . $exception->getFile() . ':' . $exception->getLine(),
        $stack,
    ];
}

function handle(array $order): int
{
    return (new Shop\Checkout\OrderService(new Shop\Checkout\PriceList()))->checkout($order);
}

try {
    handle(['id' => 42, 'items' => ['book', 'lamp']]);
} catch (Throwable $e) {
    [$type, $message, $stack] = datadog_error_tags($e);
    echo $type, "\n", $message, "\n", $stack, "\n";
}
