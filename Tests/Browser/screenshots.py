"""Takes the README's screenshots of the explorer (list and issue page, light and dark) from a real
`faultline serve` holding the browser tests' ddtrace errors plus a few dozen generated ones.

    python3 Tests/Browser/screenshots.py     # writes docs/explorer-*.png
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import FAULTLINE, ROOT, Server, chrome, issues, seed_with_error_app, wait_ready

HERE = pathlib.Path(__file__).resolve().parent


def main():
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="faultline-shots-"))
    server = Server(FAULTLINE, workdir, extra_args=["--allow-repo", "file://%s/*" % workdir])
    try:
        gen = workdir / "gen"
        subprocess.run([sys.executable, str(HERE / "generate_issues.py"), str(gen), "40", "--max-events", "40"], check=True)
        subprocess.run([str(FAULTLINE), "ingest", "--format", "v04-json", "--data-dir", str(server.data_dir),
                        *map(str, sorted(gen.glob("*.json")))], check=True, capture_output=True)
        seed_with_error_app(server, repository=workdir / "shop")
        issue = issues(server, "service:checkout quantity")[0]
        # Wait for the enrichment worker, so the issue page shows the code that ran.
        deadline = time.time() + 30
        while time.time() < deadline:
            top = server.get("/api/v1/issues/%d" % issue["id"])["latestEvent"]["frames"][0]
            if (top.get("source") or {}).get("status") == "resolved":
                break
            time.sleep(0.3)
        for dark in (False, True):
            scheme = "dark" if dark else "light"
            driver = chrome(width=1280, height=860, dark=dark)
            try:
                driver.get(server.base + "/#/issues?range=30d&sort=count")
                wait_ready(driver, "list")
                # Sparklines arrive after the first render, one small request per visible row.
                WebDriverWait(driver, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".sparkcell svg")) >= 5)
                driver.save_screenshot(str(docs / ("explorer-list-%s.png" % scheme)))
                driver.set_window_size(1280, 1500)
                driver.get(server.base + "/#/issues/%d?range=7d" % issue["id"])
                wait_ready(driver, "issue")
                driver.save_screenshot(str(docs / ("explorer-issue-%s.png" % scheme)))
            finally:
                driver.quit()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
