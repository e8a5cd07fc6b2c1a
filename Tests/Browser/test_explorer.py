"""The explorer in headless Chromium against a real `faultline serve` holding real ddtrace errors."""
import json
import pathlib
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from harness import ERROR_APP, ROOT, WAIT, chrome, issues, requested_urls, wait_ready


def stale(driver):
    """Marks the current render as old, so wait_ready waits for the next one."""
    driver.execute_script("document.body.dataset.ready = 'stale'")


def search(driver, query):
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    stale(driver)
    box.send_keys(Keys.ENTER)


def row_texts(driver):
    return [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#issue-list a.row")]


def row_ids(driver):
    return [r.get_attribute("data-issue-id") for r in driver.find_elements(By.CSS_SELECTOR, "#issue-list a.row")]


def only_issue(server, query):
    found = issues(server, query)
    assert len(found) == 1, found
    return found[0]


def source_line(path, line):
    return pathlib.Path(path).read_text().splitlines()[line - 1].strip()


def test_search_narrows_the_list_and_the_url_keeps_the_query(page, server):
    everything = row_texts(page)
    assert len(everything) == len(issues(server, "")) >= 3

    query = 'service:checkout -env:staging "quantity"'
    search(page, query)
    wait_ready(page, "list")
    rows = row_texts(page)
    assert len(rows) == 1 and "ValueError" in rows[0] and "invalid quantity in cart" in rows[0], rows
    assert "q=service%3Acheckout" in page.current_url
    ids = row_ids(page)

    # A reload of the same URL shows the same view: the query lives in the URL.
    page.refresh()
    wait_ready(page, "list")
    assert page.find_element(By.ID, "q").get_attribute("value") == query
    assert row_ids(page) == ids


def test_facet_counts_come_from_the_api_and_filter_when_clicked(page, server):
    facets = server.get("/api/v1/facets")
    facets = facets.get("facets", facets)
    expected = {f["value"]: f["count"] for f in facets["service"]}
    WebDriverWait(page, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-facet='service']"))
    shown = {b.get_attribute("data-value"): int(b.find_element(By.CSS_SELECTOR, ".n").text.replace(",", ""))
             for b in page.find_elements(By.CSS_SELECTOR, "[data-facet='service']")}
    assert shown == expected and shown["pricing"] == 1

    stale(page)
    page.find_element(By.CSS_SELECTOR, "[data-facet='service'][data-value='pricing']").click()
    wait_ready(page, "list")
    assert page.find_element(By.ID, "q").get_attribute("value") == "service:pricing"
    rows = row_texts(page)
    assert len(rows) == 1 and "KeyError" in rows[0]


def enriched_detail(server, issue_id):
    """The issue once the enrichment worker has resolved its top frame against the repository."""
    deadline = time.time() + WAIT
    while True:
        detail = server.get("/api/v1/issues/%d" % issue_id)
        source = detail["latestEvent"]["frames"][0].get("source")
        if source and source["status"] == "resolved":
            return detail
        assert time.time() < deadline, "the top frame was never enriched: %s" % source
        time.sleep(0.3)


def test_issue_page_shows_the_failing_line_and_the_event(page, server):
    issue = only_issue(server, "service:checkout")
    detail = enriched_detail(server, issue["id"])
    event = detail["latestEvent"]
    top = event["frames"][0]  # innermost: where the ValueError was raised
    assert top["function"] == "validate_quantity"
    # The snippet comes from the commit the tracer named, read from git objects: the very line that ran.
    source = top["source"]
    assert source["path"] == "error_app.py" and source["line"] == top["line"]
    marked = [entry for entry in source["snippet"] if entry["highlight"]]
    assert [entry["line"] for entry in marked] == [top["line"]]
    assert marked[0]["text"].strip() == source_line(ERROR_APP, top["line"])

    search(page, "service:checkout")
    wait_ready(page, "list")
    # Once enriched, the culprit is the repository's path, not the runtime's absolute one.
    assert page.find_element(By.CSS_SELECTOR, "#issue-list a.row .frame").text == "error_app.py in validate_quantity"
    stale(page)
    page.find_element(By.CSS_SELECTOR, "#issue-list a.row").click()
    wait_ready(page, "issue")

    assert "ValueError" in page.find_element(By.ID, "issue-title").text
    assert page.find_element(By.ID, "issue-count").text.endswith("3")
    # The failing line as the enriched snippet shows it, with its neighbours around it.
    snippet_rows = page.find_elements(By.CSS_SELECTOR, "#stack .frame-item.in-app .code tr td.src")
    assert len(snippet_rows) >= len(source["snippet"])
    highlighted = page.find_element(By.CSS_SELECTOR, "#stack .frame-item.in-app .code tr.hl td.src").text
    assert highlighted.strip() == source_line(ERROR_APP, top["line"]) == 'raise ValueError("invalid quantity in cart: %d" % quantity)'
    assert page.find_element(By.CSS_SELECTOR, "#stack .frame-item.in-app .code tr.hl td.ln").text == str(top["line"])
    assert page.find_element(By.ID, "trace-id").text == event["traceID"]
    assert page.find_element(By.ID, "span-id").text == event["spanID"]
    assert "prod" in page.find_element(By.ID, "event").text

    # Earlier sample events: step to an older one and back.
    assert page.find_element(By.ID, "event-pos").text == "1 of 3"
    # Each frame names its repository path at the commit that ran.
    at = page.find_element(By.CSS_SELECTOR, "#stack .frame-item.in-app .src-meta .src-at").text
    assert at == "error_app.py:%d@%s" % (top["line"], source["commitSHA"][:7])
    page.find_element(By.ID, "older").click()
    assert page.find_element(By.ID, "event-pos").text == "2 of 3"
    assert "event=1" in page.current_url
    # A sample event shows its code too, read from the mirror on request.
    older = WebDriverWait(page, 10).until(lambda p: p.find_elements(By.CSS_SELECTOR, "#stack .frame-item.in-app .code tr.hl td.src"))
    assert older[0].text.strip() == source_line(ERROR_APP, top["line"])
    page.find_element(By.ID, "newer").click()
    assert page.find_element(By.ID, "event-pos").text == "1 of 3"


def test_issue_page_shows_the_code_of_a_chained_cause(page, server):
    issue = only_issue(server, "service:billing")
    detail = enriched_detail(server, issue["id"])
    exceptions = detail["latestEvent"]["exceptions"]
    assert [e["relation"] for e in exceptions] == ["primary", "cause"]
    cause = exceptions[1]
    top = cause["frames"][0]  # innermost frame of the cause: where GatewayError was raised
    assert top["function"] == "authorize"
    source = top["source"]
    assert source["status"] == "resolved" and source["path"] == "error_app.py"
    raised = source_line(ERROR_APP, top["line"])
    assert raised == 'raise GatewayError("gateway declined %d cents" % amount)'

    search(page, "service:billing")
    wait_ready(page, "list")
    stale(page)
    page.find_element(By.CSS_SELECTOR, "#issue-list a.row").click()
    wait_ready(page, "issue")
    assert "ChargeFailed" in page.find_element(By.ID, "issue-title").text
    highlighted = [cell.text.strip() for cell in page.find_elements(By.CSS_SELECTOR, "#stack .frame-item.in-app .code tr.hl td.src")]
    assert raised in highlighted, highlighted
    assert "GatewayError" in page.find_element(By.ID, "stack").text


def test_issue_page_names_the_span_that_carried_the_error(page, server):
    issue = only_issue(server, "service:orders")
    event = server.get("/api/v1/issues/%d" % issue["id"])["latestEvent"]
    assert event["operation"] == "web.request" and event["errorSpan"]["operation"] == "orders.view"
    search(page, "service:orders")
    wait_ready(page, "list")
    stale(page)
    page.find_element(By.CSS_SELECTOR, "#issue-list a.row").click()
    wait_ready(page, "issue")
    shown = page.find_element(By.ID, "error-span").text
    assert "orders.view" in shown and event["errorSpan"]["spanID"] in shown


def test_status_change_is_persisted_through_the_api(page, server):
    issue = only_issue(server, "service:pricing")
    assert issue["status"] == "open"
    page.get(server.base + "/#/issues/%d" % issue["id"])
    wait_ready(page, "issue")

    stale(page)
    page.find_element(By.CSS_SELECTOR, "[data-status='resolved']").click()
    wait_ready(page, "issue")
    assert page.find_element(By.ID, "issue-status").text == "Resolved"
    assert server.get("/api/v1/issues/%d" % issue["id"])["issue"]["status"] == "resolved"
    assert page.find_element(By.CSS_SELECTOR, "[data-status='resolved']").get_attribute("disabled") is not None

    stale(page)
    page.find_element(By.CSS_SELECTOR, "[data-status='open']").click()
    wait_ready(page, "issue")
    assert page.find_element(By.ID, "issue-status").text == "Open"
    assert server.get("/api/v1/issues/%d" % issue["id"])["issue"]["status"] == "open"


def test_bad_query_shows_the_api_error_in_place(page, server):
    bad = 'service:checkout "unterminated'
    with pytest.raises(urllib.error.HTTPError) as raised:
        server.get("/api/v1/issues?" + urllib.parse.urlencode({"q": bad}, quote_via=urllib.parse.quote))
    assert raised.value.code == 400
    body = json.loads(raised.value.read())

    search(page, bad)
    wait_ready(page, "list-error")
    box = page.find_element(By.ID, "qerror")
    assert box.is_displayed()
    assert page.find_element(By.ID, "qerror-msg").text == body["error"]
    caret_line = box.find_element(By.TAG_NAME, "pre").text.split("\n")[1]
    assert caret_line.index("^") == body["position"] - 1 == bad.index('"')
    assert page.find_element(By.ID, "q").get_attribute("aria-invalid") == "true"
    assert not page.find_elements(By.CSS_SELECTOR, "#issue-list a.row")


def test_keyboard_only_search_and_open(page, server):
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys("/")
    assert page.switch_to.active_element.get_attribute("id") == "q"
    page.switch_to.active_element.send_keys("service:inventory")
    stale(page)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait_ready(page, "list")
    page.switch_to.active_element.send_keys(Keys.ESCAPE)
    page.find_element(By.TAG_NAME, "body").send_keys("j")
    focused = page.switch_to.active_element
    assert "OutOfStock" in focused.text
    stale(page)
    focused.send_keys(Keys.ENTER)
    wait_ready(page, "issue")
    assert "OutOfStock" in page.find_element(By.ID, "issue-title").text


def test_repositories_page_states_what_the_server_offers(page, server):
    try:
        server.get("/api/v1/repos")
        available = True
    except urllib.error.HTTPError as error:
        assert error.code == 404
        available = False
    page.get(server.base + "/#/repos")
    if available:
        wait_ready(page, "repos")
        assert page.find_element(By.CSS_SELECTOR, ".link-form")
    else:
        wait_ready(page, "repos-unavailable")
        assert "not available" in page.find_element(By.ID, "repos-unavailable").text


def test_repositories_page_shows_links_and_mirrors_from_the_api(page, server):
    enriched_detail(server, only_issue(server, "service:checkout")["id"])  # the error app's repository is mirrored
    mirrors = server.get("/api/v1/repos")["repositories"]
    assert mirrors and mirrors[0]["state"] == "mirrored"
    url = mirrors[0]["repositoryURL"]
    server.request("POST", "/api/v1/repos", {"service": "pricing", "url": url, "version": "9.9.9"})
    links = server.get("/api/v1/repos")["links"]
    assert [link["service"] for link in links] == ["pricing"]

    page.get(server.base + "/#/repos")
    wait_ready(page, "repos")
    mirror_rows = page.find_elements(By.CSS_SELECTOR, "#mirrors tbody tr")
    assert len(mirror_rows) == len(mirrors)
    assert "mirrored" in mirror_rows[0].find_element(By.CSS_SELECTOR, ".mirror-state").text
    link_rows = page.find_elements(By.CSS_SELECTOR, "#links tbody tr")
    assert len(link_rows) == 1  # links are links, not the mirrors listed again
    row = link_rows[0]
    assert row.get_attribute("data-link") == "pricing"
    assert "9.9.9" in row.text and url in row.text
    assert row.find_element(By.CSS_SELECTOR, ".mirror-state").text == "mirrored"


def test_the_list_page_is_one_api_request_with_every_sparkline(server):
    """The list draws every row's sparkline from the page's own hourlyCounts (hourly=true): one request."""
    driver = chrome()
    try:
        driver.get(server.base + "/#/issues")
        wait_ready(driver, "list")
        urls = requested_urls(driver)
        api = [urllib.parse.urlsplit(u) for u in urls if urllib.parse.urlsplit(u).path.startswith("/api/v1/issues")]
        lists = [u for u in api if u.path == "/api/v1/issues"]
        assert len(lists) == 1, [u.geturl() for u in api]
        assert urllib.parse.parse_qs(lists[0].query).get("hourly") == ["true"]
        assert [u.geturl() for u in api if u.path != "/api/v1/issues"] == []  # no request per row
        rows = driver.find_elements(By.CSS_SELECTOR, "#issue-list a.row")
        assert len(rows) >= 2
        assert len(driver.find_elements(By.CSS_SELECTOR, "#issue-list a.row svg.spark")) == len(rows)
        # Each sparkline's total is the page's hourly counts for that issue, which match the issue's events.
        asked = urllib.parse.parse_qs(lists[0].query)
        page = server.get("/api/v1/issues?" + urllib.parse.urlencode(
            {"hourly": "true", "limit": 100, "from": asked["from"][0], "to": asked["to"][0]}, quote_via=urllib.parse.quote))
        assert page["issues"]
        for issue in page["issues"]:
            assert sum(c["count"] for c in issue["hourlyCounts"]) == issue["count"]
    finally:
        driver.quit()


def test_services_page_shows_versions_with_their_error_rate(page, server):
    """Every entry span counts: the checkout service's version, its requests, errors and error rate, as the API says."""
    services = server.get("/api/v1/services")["services"]
    checkout = next(s for s in services if s["service"] == "checkout")
    version = checkout["versions"][0]
    assert version["entrySpans"] >= version["errorSpans"] >= 1
    page.get(server.base + "/#/services")
    wait_ready(page, "services")
    assert page.find_element(By.CSS_SELECTOR, '[data-nav="services"]').get_attribute("aria-current") == "page"
    section = page.find_element(By.CSS_SELECTOR, '[data-service^="checkout"]')
    row = section.find_element(By.CSS_SELECTOR, 'tr[data-version="%s"]' % (version["version"] or ""))
    assert row.find_element(By.CSS_SELECTOR, ".error-rate").text == "%.2f%%" % (version["errorRate"] * 100)
    assert str(version["entrySpans"]) in row.text
    assert row.find_elements(By.CSS_SELECTOR, "svg.spark")


def test_every_request_stays_on_the_server(server):
    """Visits every view in a fresh browser and checks, from Chrome's network log, where it went."""
    driver = chrome()
    try:
        issue = only_issue(server, "service:checkout")
        for fragment, state in (("#/issues", "list"), ("#/issues/%d" % issue["id"], "issue"),
                                ("#/issues?q=%22x", "list-error"), ("#/repos", None)):
            driver.get(server.base + "/" + fragment)
            if state:
                wait_ready(driver, state)
            else:
                WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.body.dataset.ready").startswith("repos"))
        urls = requested_urls(driver)
        assert server.base + "/app.js" in urls and server.base + "/app.css" in urls
        assert any(u.startswith(server.base + "/api/v1/issues/%d" % issue["id"]) for u in urls)
        foreign = [u for u in urls if urllib.parse.urlsplit(u).netloc != "127.0.0.1:%d" % server.port and not u.startswith("data:")]
        assert not foreign, foreign
    finally:
        driver.quit()


def test_narrow_screen_has_no_horizontal_scroll(server):
    driver = chrome(width=390, height=844)
    try:
        issue = only_issue(server, "service:checkout")
        for fragment, state in (("#/issues", "list"), ("#/issues/%d" % issue["id"], "issue")):
            driver.get(server.base + "/" + fragment)
            wait_ready(driver, state)
            width = driver.execute_script("return document.documentElement.clientWidth")
            scroll = driver.execute_script("return document.documentElement.scrollWidth")
            assert scroll <= width, (fragment, scroll, width)
    finally:
        driver.quit()


@pytest.mark.parametrize("path,content_type", [("/", "text/html"), ("/index.html", "text/html"),
                                               ("/app.js", "text/javascript"), ("/app.css", "text/css")])
def test_assets_are_served_with_validators(server, path, content_type):
    with urllib.request.urlopen(server.base + path, timeout=10) as res:
        body = res.read()
        assert res.headers["Content-Type"].startswith(content_type)
        assert res.headers["Cache-Control"] == "no-cache"
        etag = res.headers["ETag"]
    source = "index.html" if path == "/" else path.lstrip("/")
    assert body == (ROOT / "Sources/FaultlineExplorer/Assets" / source).read_bytes()
    with urllib.request.urlopen(urllib.request.Request(server.base + path, method="HEAD"), timeout=10) as res:
        assert res.status == 200 and res.headers["ETag"] == etag and res.read() == b""
    request = urllib.request.Request(server.base + path, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 304
