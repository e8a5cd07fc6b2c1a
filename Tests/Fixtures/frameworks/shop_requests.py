"""The requests both shops send themselves, and their status codes (shared by flask_shop.py and django_shop.py)."""
import urllib.error
import urllib.request

PATHS = ["/boom/1", "/boom/2", "/handled", "/db", "/chain"]


def request(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def send_all(port):
    return {path: request(port, path) for path in PATHS}
