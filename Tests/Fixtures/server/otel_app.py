"""A small service instrumented by the real OpenTelemetry SDK, exporting OTLP/HTTP protobuf.

The endpoint comes from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. It produces:
- `inventory` root spans that record an exception (2 traces -> one issue with count 2),
- a child INTERNAL span recording an exception under a successful root (not an entry span).
"""
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


class OutOfStock(Exception):
    pass


def reserve(sku):
    raise OutOfStock("requested sku is out of stock")


def main():
    resource = Resource.create({
        "service.name": "inventory",
        "service.version": "2.3.1",
        "deployment.environment.name": "staging",
        "host.name": "inv-host-1",
        "vcs.repository.url.full": "https://github.com/acme/inventory",
        "vcs.ref.head.revision": "0123456789abcdef0123456789abcdef01234567",
    })
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    tracer = trace.get_tracer("inventory.app")

    for sku in ("A-1", "B-2"):
        try:
            with tracer.start_as_current_span("POST /reserve", kind=trace.SpanKind.SERVER):
                reserve(sku)
        except OutOfStock:
            pass

    with tracer.start_as_current_span("GET /stock", kind=trace.SpanKind.SERVER):
        try:
            with tracer.start_as_current_span("cache.lookup"):
                raise TimeoutError("cache lookup timed out")
        except TimeoutError:
            pass

    provider.shutdown()
    print("otel app done", file=sys.stderr)


if __name__ == "__main__":
    main()
