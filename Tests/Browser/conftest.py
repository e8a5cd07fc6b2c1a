"""Fixtures for the explorer's browser tests: a real `faultline serve` holding real ddtrace errors,
and headless Chromium driven by selenium.

scripts/test builds `.build/debug/faultline` and installs chromium, chromium-driver and selenium
before running `python3 -m pytest -q Tests/Browser`.
"""
import pathlib
import shutil
import tempfile

import pytest

from harness import FAULTLINE, Server, chrome, requested_urls, seed_with_error_app, wait_ready


@pytest.fixture(scope="session")
def server():
    if not FAULTLINE.exists():
        pytest.fail("%s is missing: run `swift build` (scripts/test does)" % FAULTLINE)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="faultline-browser-"))
    # Only repositories under this test's own directory may be mirrored.
    srv = Server(FAULTLINE, workdir, extra_args=["--allow-repo", "file://%s/*" % workdir])
    try:
        seed_with_error_app(srv, repository=workdir / "shop")
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    driver = chrome()
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, server):
    """The shared browser, reset to the issues list; after the test, checks that every request the
    page made went to the server's own loopback address."""
    browser.get("about:blank")  # a real page load, even when the last test ended on a list URL
    browser.get(server.base + "/#/issues")
    wait_ready(browser, "list")
    yield browser
    urls = requested_urls(browser)
    foreign = [u for u in urls if not u.startswith(server.base + "/") and not u.startswith("data:")]
    assert not foreign, "requests left the server: %s" % foreign
