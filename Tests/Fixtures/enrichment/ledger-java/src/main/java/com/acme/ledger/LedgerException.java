package com.acme.ledger;

/** Raised when an entry cannot be posted; wraps what went wrong. */
final class LedgerException extends RuntimeException {
    LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
