"""What the browser tests, the screenshots and the benchmark share: a started `faultline serve`,
real ddtrace errors sent to it, and headless Chromium (Debian's chromium + chromium-driver) via selenium."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
FAULTLINE = ROOT / ".build" / "debug" / "faultline"
ERROR_APP = HERE / "error_app.py"
WAIT = 30


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A started `faultline serve` on loopback with its own temporary data directory.

    With `token`, the server runs with that api-token (FAULTLINE_API_TOKEN) and the harness's own
    requests send it as a bearer token."""

    def __init__(self, binary, workdir, extra_args=(), token=None):
        self.token = token
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.data_dir = workdir / "data"
        self.log_path = workdir / "serve.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(binary), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--otlp-port", "off",
             "--data-dir", str(self.data_dir), "--repos-dir", str(workdir / "repos"), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=str(workdir),
            env=dict(os.environ, FAULTLINE_API_TOKEN=token) if token else None)
        deadline = time.time() + 60
        while True:
            try:
                self.get("/api/v1/issues?limit=1")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise RuntimeError("faultline serve did not start:\n" + self.log_path.read_text(errors="replace"))
                time.sleep(0.2)

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json"} if data else {}
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        all_headers.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read() or b"null")

    def get(self, path):
        return self.request("GET", path)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def issues(server, query):
    return server.get("/api/v1/issues?" + urllib.parse.urlencode({"q": query, "limit": 100}, quote_via=urllib.parse.quote))["issues"]


def git_repository_with_error_app(directory):
    """A real git repository holding a copy of error_app.py (fixed author and date); returns its HEAD."""
    directory.mkdir(parents=True)
    shutil.copy(ERROR_APP, directory / ERROR_APP.name)
    env = dict(os.environ, GIT_AUTHOR_NAME="Ada Lovelace", GIT_AUTHOR_EMAIL="ada@example.com",
               GIT_COMMITTER_NAME="Ada Lovelace", GIT_COMMITTER_EMAIL="ada@example.com",
               GIT_AUTHOR_DATE="2026-11-01T12:00:00Z", GIT_COMMITTER_DATE="2026-11-01T12:00:00Z",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(directory))
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "shop: error app"]):
        subprocess.run(["git", *args], cwd=directory, env=env, check=True, capture_output=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def seed_with_error_app(server, repository=None):
    """Runs error_app.py with the real ddtrace library against the server and waits for its issues.

    With `repository` (a directory), the program runs from a git repository made there and its tracer
    sends DD_GIT_REPOSITORY_URL / DD_GIT_COMMIT_SHA, so the server can show the code that ran."""
    env = dict(os.environ, DD_TRACE_AGENT_URL=server.base, DD_SERVICE="checkout", DD_ENV="prod", DD_VERSION="2.0.1",
               DD_TRACE_STARTUP_LOGS="false", DD_INSTRUMENTATION_TELEMETRY_ENABLED="false",
               DD_REMOTE_CONFIGURATION_ENABLED="false", DD_DATA_STREAMS_ENABLED="false")
    program = ERROR_APP
    if repository is not None:
        sha = git_repository_with_error_app(repository)
        program = repository / ERROR_APP.name
        env.update(DD_GIT_REPOSITORY_URL="file://%s" % repository, DD_GIT_COMMIT_SHA=sha)
    run = subprocess.run([sys.executable, str(program)], env=env, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise RuntimeError("error_app.py failed:\n" + run.stderr[-4000:])
    # The server answers 200 only after committing, and the tracer flushed before exiting.
    deadline = time.time() + WAIT
    while time.time() < deadline:
        if {i["service"] for i in issues(server, "")} >= {"checkout", "pricing", "inventory"}:
            return
        time.sleep(0.3)
    raise RuntimeError("the ddtrace errors never became issues:\n" + server.log_path.read_text(errors="replace")[-4000:])


def chrome(width=1280, height=900, dark=False):
    """Headless Chromium with the DevTools performance log on, so tests can see every request."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=%d,%d" % (width, height), "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--metrics-recording-only"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    if width < 600:
        # Chrome windows do not get narrower than ~500 px: emulate a phone's viewport instead.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    if dark:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    return driver


def requested_urls(driver):
    """Every URL the page asked for since the last call (the performance log drains when read)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_ready(driver, state, timeout=WAIT):
    """Waits until the explorer says it finished rendering `state` (body[data-ready])."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == state,
        "explorer never reached %r (now %r)" % (state, driver.execute_script("return document.body.dataset.ready")))
