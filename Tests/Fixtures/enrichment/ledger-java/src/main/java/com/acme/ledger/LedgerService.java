package com.acme.ledger;

/** Posts ledger entries through a journal that is closed after every entry. */
final class LedgerService {
    void post(String entry) {
        try (Journal journal = new Journal(entry)) {
            int cents = AmountParser.cents(entry);
            journal.write(cents);
        } catch (NumberFormatException e) {
            throw new LedgerException("cannot post entry \"" + entry + "\"", e);
        }
    }
}
