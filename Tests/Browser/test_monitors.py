"""The Monitors page in headless Chromium against a real `faultline serve` and a real loopback webhook receiver."""
import http.server
import json
import pathlib
import shutil
import tempfile
import threading
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import FAULTLINE, WAIT, Server, requested_urls, wait_ready


class Receiver:
    """A webhook receiver on a loopback port that records every POST and answers 200."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body or b"{}")})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hooks/faultline" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def monitored():
    if not FAULTLINE.exists():
        pytest.fail("%s is missing: run `swift build` (scripts/test does)" % FAULTLINE)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="faultline-browser-monitors-"))
    receiver = Receiver()
    srv = Server(FAULTLINE, workdir, extra_args=["--allow-notify", "http://127.0.0.1:*", "--public-url", "https://faultline.example.com"])
    try:
        yield srv, receiver
    finally:
        srv.stop()
        receiver.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_create_a_monitor_and_see_its_test_delivery_in_the_log(browser, monitored):
    server, receiver = monitored
    browser.get("about:blank")
    browser.get(server.base + "/#/monitors")
    wait_ready(browser, "monitors")
    assert browser.find_element(By.CSS_SELECTOR, '[data-nav="monitors"]').get_attribute("aria-current") == "page"
    browser.find_element(By.ID, "m-name").send_keys("checkout on call")
    browser.find_element(By.ID, "m-query").send_keys("service:checkout env:prod")
    browser.find_element(By.ID, "m-url").send_keys(receiver.url)
    browser.find_element(By.ID, "m-secret").send_keys("whsec_c2VjcmV0LWZvci10aGUtYnJvd3Nlci10ZXN0")
    browser.execute_script("document.body.dataset.ready = 'stale'")
    browser.find_element(By.ID, "monitor-save").click()
    wait_ready(browser, "monitor")
    assert browser.find_element(By.ID, "monitor-name").text == "checkout on call"
    assert browser.find_element(By.ID, "monitor-state").text == "Active"
    assert browser.find_element(By.ID, "no-deliveries").text == "Nothing sent yet."
    monitors = server.get("/api/v1/monitors")["monitors"]
    assert [(m["name"], m["query"], m["channel"]["type"], m["channel"]["hasSecret"]) for m in monitors] == [
        ("checkout on call", "service:checkout env:prod", "webhook", True)]

    browser.find_element(By.ID, "monitor-test").click()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "monitor-action-msg").text.startswith("Queued msg_"))
    queued = browser.find_element(By.ID, "monitor-action-msg").text.split(" ", 1)[1]

    # The page re-reads the log after a test; refresh until the delivery is there (bounded).
    deadline = time.time() + WAIT
    rows = []
    while time.time() < deadline:
        rows = browser.find_elements(By.CSS_SELECTOR, '#deliveries tr[data-type="monitor.test"]')
        if rows and rows[0].get_attribute("data-outcome") == "delivered":
            break
        browser.execute_script("document.body.dataset.ready = 'stale'")
        browser.find_element(By.ID, "monitor-refresh").click()
        wait_ready(browser, "monitor")
    assert rows, "no test delivery in the log"
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert cells[1] == "test"
    assert cells[4] == "200"
    assert cells[5] == "delivered"
    assert cells[8] == queued

    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert sent["path"] == "/hooks/faultline"
    assert sent["body"]["type"] == "monitor.test"
    assert sent["body"]["id"] == queued
    assert sent["headers"]["webhook-id"] == queued
    assert sent["headers"]["webhook-signature"].startswith("v1,")
    assert sent["body"]["monitor"]["name"] == "checkout on call"

    urls = requested_urls(browser)
    foreign = [u for u in urls if not u.startswith(server.base + "/") and not u.startswith("data:") and u != "about:blank"]
    assert not foreign, "requests left the server: %s" % foreign
