package com.acme.ledger;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Posts one entry and prints the error as dd-trace-java tags it: type, message, then printStackTrace. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        LedgerService service = new LedgerService();
        try {
            service.post("12,50 EUR");
        } catch (LedgerException e) {
            StringWriter stack = new StringWriter();
            e.printStackTrace(new PrintWriter(stack));
            System.out.println(e.getClass().getName());
            System.out.println(e.getMessage());
            System.out.print(stack);
        }
    }
}
