class PaymentDeclined < StandardError; end

def validate(order_id, email, amount, request_id, kind)
  if kind == "other-type"
    raise KeyError, "order #{order_id} for #{email} has no price list (request #{request_id})"
  end
  raise PaymentDeclined, "order #{order_id} for #{email} declined: amount #{amount} exceeds limit 10.00 (request #{request_id})"
end

def charge(order_id, email, amount, request_id, kind)
  [order_id].each do |id|
    validate(id, email, amount, request_id, kind)
  end
end

def checkout(order_id, email, amount, request_id, kind)
  charge(order_id, email, amount, request_id, kind)
end

def refund(order_id, email, amount, request_id, kind)
  validate(order_id, email, amount, request_id, kind)
end

kind, order_id, email, amount, request_id = ARGV
begin
  send(kind == "refund" ? :refund : :checkout, order_id.to_i, email, amount, request_id, kind)
rescue => error
  # What dd-trace-rb puts in error.type, error.message and error.stack.
  puts "type: #{error.class.name}"
  puts "message: #{error.message}"
  puts "---"
  puts error.backtrace.join("\n")
end
