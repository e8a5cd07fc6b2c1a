# Imports one invoice and prints the error as dd-trace-rb tags it: type, message, then error.stack as
# Datadog::Core::Error.full_backtrace builds it (each exception of the cause chain, the reported one first).
require_relative 'lib/acme/invoice_importer'

def backtrace_for(error, out)
  trace = error.backtrace
  return unless trace

  out << trace[0] << ': ' << error.message.to_s << ' (' << error.class.to_s << ')' if trace[0]
  trace[1..].each { |line| out << "\n\tfrom " << line }
  out << "\n"
end

def full_backtrace(error)
  out = +''
  backtrace_for(error, out)
  seen = { error => true }
  cause = error
  while (cause = cause.cause) && !seen.key?(cause)
    backtrace_for(cause, out)
    seen[cause] = true
  end
  out
end

begin
  Acme::InvoiceImporter.new.import('{"invoice": 42, "total": 12.50,}')
rescue StandardError => e
  puts e.class.to_s
  puts e.message
  print full_backtrace(e)
end
