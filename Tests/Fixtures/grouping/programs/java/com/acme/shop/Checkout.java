package com.acme.shop;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

public class Checkout {
    static class PaymentDeclined extends RuntimeException {
        PaymentDeclined(String message) {
            super(message);
        }
    }

    static void validate(long orderId, String email, String amount, String requestId, String kind) {
        if (kind.equals("other-type")) {
            throw new IllegalStateException("order " + orderId + " for " + email + " has no price list (request " + requestId + ")");
        }
        throw new PaymentDeclined("order " + orderId + " for " + email + " declined: amount " + amount + " exceeds limit 10.00 (request " + requestId + ")");
    }

    static void charge(long orderId, String email, String amount, String requestId, String kind) {
        List.of(orderId).forEach(id -> validate(id, email, amount, requestId, kind));
    }

    static void checkout(long orderId, String email, String amount, String requestId, String kind) {
        charge(orderId, email, amount, requestId, kind);
    }

    static void refund(long orderId, String email, String amount, String requestId, String kind) {
        validate(orderId, email, amount, requestId, kind);
    }

    public static void main(String[] args) {
        String kind = args[0];
        try {
            if (kind.equals("refund")) {
                refund(Long.parseLong(args[1]), args[2], args[3], args[4], kind);
            } else {
                checkout(Long.parseLong(args[1]), args[2], args[3], args[4], kind);
            }
        } catch (RuntimeException error) {
            // What dd-trace-java puts in error.type, error.message and error.stack.
            StringWriter stack = new StringWriter();
            error.printStackTrace(new PrintWriter(stack));
            System.out.println("type: " + error.getClass().getName());
            System.out.println("message: " + error.getMessage());
            System.out.println("---");
            System.out.print(stack);
        }
    }
}
