package com.acme.ledger;

/** Turns "12.50 EUR" into cents. */
final class AmountParser {
    private AmountParser() {}

    static int cents(String entry) {
        String amount = entry.split(" ")[0];
        String[] parts = amount.split("\\.");
        int whole = Integer.parseInt(parts[0]);
        return whole * 100 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    }
}
