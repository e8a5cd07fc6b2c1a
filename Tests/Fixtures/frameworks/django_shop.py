"""The same shop as flask_shop.py in Django, run under ddtrace-run.

It serves itself with wsgiref on a free loopback port, sends itself the requests below and prints their
status codes as JSON.
"""
import json
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="not-a-secret",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    LOGGING_CONFIG=None,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from shop_requests import send_all  # noqa: E402


class PaymentError(Exception):
    pass


def charge(amount):
    raise ValueError(f"bad amount {amount}")


def boom(request, n):
    charge(n)


def handled(request):
    try:
        charge(1)
    except ValueError:
        pass
    return HttpResponse("ok")


def db(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM missing_table")
    return HttpResponse("never")


def chain(request):
    try:
        charge(2)
    except ValueError as error:
        raise PaymentError("payment failed") from error


urlpatterns = [path("boom/<int:n>", boom), path("handled", handled), path("db", db), path("chain", chain)]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass



if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    statuses = send_all(server.server_port)
    server.shutdown()
    thread.join()
    print(json.dumps(statuses))
