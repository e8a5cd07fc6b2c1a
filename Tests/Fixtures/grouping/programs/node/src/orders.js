'use strict';
const payclient = require('payclient');

class PaymentDeclined extends Error {
  constructor(message) {
    super(message);
    this.name = 'PaymentDeclined';
  }
}

function validate(orderId, email, amount, requestId, kind) {
  if (kind === 'other-type') {
    throw new TypeError(`order ${orderId} for ${email} has no price list (request ${requestId})`);
  }
  throw new PaymentDeclined(`order ${orderId} for ${email} declined: amount ${amount} exceeds limit 10.00 (request ${requestId})`);
}

function charge(orderId, email, amount, requestId, kind) {
  return payclient.submit(() => validate(orderId, email, amount, requestId, kind));
}

function checkout(orderId, email, amount, requestId, kind) {
  return charge(orderId, email, amount, requestId, kind);
}

function refund(orderId, email, amount, requestId, kind) {
  return validate(orderId, email, amount, requestId, kind);
}

const [kind, orderId, email, amount, requestId] = process.argv.slice(2);
try {
  (kind === 'refund' ? refund : checkout)(Number(orderId), email, amount, requestId, kind);
} catch (error) {
  // What dd-trace-js puts in error.type, error.message and error.stack.
  console.log(`type: ${error.name}`);
  console.log(`message: ${error.message}`);
  console.log('---');
  console.log(error.stack);
}
