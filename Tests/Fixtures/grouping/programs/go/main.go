package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

type PaymentDeclined struct{ msg string }

func (e *PaymentDeclined) Error() string { return e.msg }

// stack prints the caller's stack as dd-trace-go's takeStacktrace does for error.stack.
func stack() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	for {
		frame, more := frames.Next()
		fmt.Fprintf(&b, "%s\n\t%s:%d\n", frame.Function, frame.File, frame.Line)
		if !more {
			break
		}
	}
	return b.String()
}

func validate(orderID int, email, amount, requestID, kind string) (error, string) {
	if kind == "other-type" {
		return errors.New(fmt.Sprintf("order %d for %s has no price list (request %s)", orderID, email, requestID)), stack()
	}
	return &PaymentDeclined{fmt.Sprintf("order %d for %s declined: amount %s exceeds limit 10.00 (request %s)", orderID, email, amount, requestID)}, stack()
}

func charge(orderID int, email, amount, requestID, kind string) (err error, st string) {
	func() {
		err, st = validate(orderID, email, amount, requestID, kind)
	}()
	return err, st
}

func checkout(orderID int, email, amount, requestID, kind string) (error, string) {
	return charge(orderID, email, amount, requestID, kind)
}

func refund(orderID int, email, amount, requestID, kind string) (error, string) {
	return validate(orderID, email, amount, requestID, kind)
}

func main() {
	kind := os.Args[1]
	orderID, _ := strconv.Atoi(os.Args[2])
	run := checkout
	if kind == "refund" {
		run = refund
	}
	err, st := run(orderID, os.Args[3], os.Args[4], os.Args[5], kind)
	fmt.Printf("type: %T\nmessage: %s\n---\n%s", err, err.Error(), st)
}
