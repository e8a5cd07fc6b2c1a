module Acme
  # Raised when an invoice cannot be imported; its cause says why.
  class ImportError < StandardError; end
end
