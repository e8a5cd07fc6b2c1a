"""A small Flask shop, run under real instrumentation (ddtrace-run or opentelemetry-instrument).

It serves itself on a free loopback port with Werkzeug's real server, sends itself the requests below
and prints their status codes as JSON, so the test knows exactly which requests failed.
"""
import json
import sqlite3
import threading

from flask import Flask
from werkzeug.serving import make_server

from shop_requests import send_all

app = Flask(__name__)


class PaymentError(Exception):
    pass


def charge(amount):
    raise ValueError(f"bad amount {amount}")


@app.route("/boom/<int:n>")
def boom(n):
    charge(n)


@app.route("/handled")
def handled():
    try:
        charge(1)
    except ValueError:
        pass
    return "ok"


@app.route("/db")
def db():
    connection = sqlite3.connect(":memory:")
    connection.execute("SELECT * FROM missing_table")
    return "never"


@app.route("/chain")
def chain():
    try:
        charge(2)
    except ValueError as error:
        raise PaymentError("payment failed") from error



if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    statuses = send_all(server.server_port)
    server.shutdown()
    thread.join()
    print(json.dumps(statuses))
