require 'json'
require_relative 'import_error'

module Acme
  # Reads invoices posted by the billing system.
  class InvoiceImporter
    def import(body)
      invoice = parse(body)
      invoice.fetch('total')
    end

    private

    def parse(body)
      JSON.parse(body)
    rescue JSON::ParserError
      raise ImportError, "invoice body is not valid JSON (#{body.bytesize} bytes)"
    end
  end
end
