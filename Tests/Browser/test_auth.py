"""Signing in to the explorer of a server with an api-token, in headless Chromium, and a page of another
origin that tries to make the signed-in browser change state."""
import http.server
import json
import pathlib
import shutil
import tempfile
import threading
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import FAULTLINE, WAIT, Server, chrome, issues, seed_with_error_app, wait_ready

API_TOKEN = "browser-test-api-token-5d1e"


@pytest.fixture(scope="module")
def locked_server():
    if not FAULTLINE.exists():
        pytest.fail("%s is missing: run `swift build` (scripts/test does)" % FAULTLINE)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="faultline-browser-auth-"))
    srv = Server(FAULTLINE, workdir, token=API_TOKEN)
    try:
        seed_with_error_app(srv)
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_browser():
    """A browser of its own: its cookies must not reach the other tests' server on the same host."""
    driver = chrome()
    yield driver
    driver.quit()


class AttackerSite:
    """A second loopback server (another origin: another port) serving one page that, loaded in the signed-in
    browser, tries every state change a page can send to the Faultline origin with the browser's cookies."""

    def __init__(self, target, issue_id):
        page = ATTACK_PAGE.replace("TARGET", target).replace("ISSUE", str(issue_id)).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# Fetches a page may send without asking (no-cors POST), ones that need a CORS preflight the server never
# grants (PATCH, DELETE), a sign-in as the attacker (login CSRF), then a classic auto-submitted form whose
# text/plain body looks like JSON. document.title says when the fetches are done.
ATTACK_PAGE = """<!doctype html>
<html><head><title>attacker</title></head><body>
<form id="f" method="POST" action="TARGET/api/v1/tokens" enctype="text/plain">
<input name='{"name":"evil","scope":"admin","x":"' value='"}'>
</form>
<script>
const t = "TARGET";
const attempts = [
  fetch(t + "/api/v1/repos/sync", {method: "POST", mode: "no-cors", credentials: "include"}),
  fetch(t + "/api/v1/tokens", {method: "POST", mode: "no-cors", credentials: "include",
        headers: {"Content-Type": "text/plain"}, body: JSON.stringify({name: "evil", scope: "admin"})}),
  fetch(t + "/api/v1/issues/ISSUE", {method: "PATCH", credentials: "include",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify({status: "ignored"})}),
  fetch(t + "/api/v1/session", {method: "DELETE", credentials: "include"}),
  fetch(t + "/api/v1/session", {method: "POST", mode: "no-cors", credentials: "include",
        headers: {"Content-Type": "text/plain"}, body: JSON.stringify({token: "attacker"})}),
];
Promise.allSettled(attempts).then(() => {
  document.title = "fetches-done";
  document.getElementById("f").submit();
});
</script></body></html>"""


def responses(driver, fragment):
    """(method, status) of every response whose URL contains `fragment`, from the DevTools log."""
    requests, found = {}, []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["method"]
        elif message.get("method") == "Network.responseReceived" and fragment in params["response"]["url"]:
            found.append((requests.get(params["requestId"], "?"), params["response"]["status"]))
    return found


def without_token(server, path, cookie=None):
    """GET `path` with no bearer token (optionally a cookie); returns the status."""
    req = urllib.request.Request(server.base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sign_in_resolve_sign_out_and_another_origin_cannot_change_state(locked_server, own_browser):
    server, driver = locked_server, own_browser
    assert without_token(server, "/api/v1/issues") == 401

    # The explorer asks for a token instead of failing.
    driver.get(server.base + "/#/issues")
    wait_ready(driver, "signin")
    assert driver.find_element(By.ID, "signout").get_attribute("hidden") is not None
    box = driver.find_element(By.ID, "signin-token")
    assert box.get_attribute("type") == "password"
    box.send_keys("not-the-token")
    driver.find_element(By.ID, "signin-submit").click()
    WebDriverWait(driver, WAIT).until(lambda d: "not valid" in d.find_element(By.ID, "signin-msg").text)
    assert driver.get_cookie("faultline_session") is None

    # Signed in, the list shows every issue the server holds.
    box = driver.find_element(By.ID, "signin-token")
    box.clear()
    box.send_keys(API_TOKEN)
    driver.execute_script("document.body.dataset.ready = 'stale'")
    driver.find_element(By.ID, "signin-submit").click()
    wait_ready(driver, "list")
    rows = driver.find_elements(By.CSS_SELECTOR, "#issue-list a.row")
    assert len(rows) == len(issues(server, "")) >= 3
    assert driver.find_element(By.ID, "signout").is_displayed()
    cookie = driver.get_cookie("faultline_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"], cookie
    assert API_TOKEN not in cookie["value"]
    assert driver.execute_script("return document.cookie") == "", "the session cookie is HttpOnly"

    # Resolve one issue from its page.
    target = next(i for i in issues(server, "") if i["status"] == "open")
    driver.get(server.base + "/#/issues/%d" % target["id"])
    wait_ready(driver, "issue")
    driver.execute_script("document.body.dataset.ready = 'stale'")
    driver.find_element(By.CSS_SELECTOR, "[data-status='resolved']").click()
    wait_ready(driver, "issue")
    detail = server.get("/api/v1/issues/%d" % target["id"])
    assert detail["issue"]["status"] == "resolved"
    assert detail["statusHistory"][-1]["actor"] == {"kind": "api-token"}
    tokens_before = server.get("/api/v1/tokens")["tokens"]
    audit_before = server.get("/api/v1/audit?limit=1000")["entries"]
    driver.get_log("performance")  # drain: only the attacker page's requests from here on

    # A page of another origin, loaded in the signed-in browser, changes nothing.
    attacker = AttackerSite(server.base, target["id"])
    try:
        driver.get(attacker.base + "/")
        WebDriverWait(driver, WAIT).until(lambda d: d.current_url.startswith(server.base + "/api/v1/tokens"))
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    finally:
        attacker.stop()
    seen = responses(driver, server.base + "/api/v1/")
    # The requests that reached the server carried the cookie (same site: another port) and were refused
    # by the origin check (403), not for want of a credential (401).
    posts = [status for method, status in seen if method == "POST"]
    assert len(posts) >= 4 and set(posts) == {403}, seen
    # PATCH and DELETE need a CORS preflight, which is never granted: they are not sent at all.
    assert not [m for m, _ in seen if m in ("PATCH", "DELETE")], seen
    after = server.get("/api/v1/issues/%d" % target["id"])
    assert after["issue"]["status"] == "resolved"
    assert after["statusHistory"] == detail["statusHistory"]
    assert server.get("/api/v1/tokens")["tokens"] == tokens_before
    assert server.get("/api/v1/audit?limit=1000")["entries"] == audit_before
    assert driver.get_cookie("faultline_session")["value"] == cookie["value"], "still the same session"

    # Still signed in; signing out ends the session on the server, not only in this browser.
    driver.get(server.base + "/#/issues")
    wait_ready(driver, "list")
    session_cookie = "faultline_session=" + cookie["value"]
    assert without_token(server, "/api/v1/issues", cookie=session_cookie) == 200
    driver.execute_script("document.body.dataset.ready = 'stale'")
    driver.find_element(By.ID, "signout").click()
    wait_ready(driver, "signin")
    assert "Signed out" in driver.find_element(By.ID, "signin-msg").text
    assert driver.get_cookie("faultline_session") is None
    assert without_token(server, "/api/v1/issues", cookie=session_cookie) == 401
    driver.refresh()
    wait_ready(driver, "signin")
    entries = server.get("/api/v1/audit?limit=1000")["entries"]
    actions = [(e["actor"]["kind"], e["action"]) for e in entries]
    assert actions[0] == ("api-token", "DELETE /api/v1/session"), actions
    assert ("api-token", "PATCH /api/v1/issues/%d" % target["id"]) in actions, actions
    assert ("api-token", "POST /api/v1/session") in actions, actions
