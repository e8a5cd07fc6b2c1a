package com.acme.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A journal that fails to flush when nothing was written to it. */
final class Journal implements AutoCloseable {
    private final String entry;
    private int written;

    Journal(String entry) {
        this.entry = entry;
    }

    void write(int cents) {
        written += cents;
    }

    @Override
    public void close() {
        if (written == 0) {
            throw new UncheckedIOException(new IOException("journal for \"" + entry + "\" was not flushed"));
        }
    }
}
