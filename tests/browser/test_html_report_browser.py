"""The HTML report in a real browser (headless Chromium through selenium): no console errors, the
filter box hides rows, a column header sorts, and a screenshot is saved.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``make tools`` installs them). Without
them the test skips with a message on a developer machine and fails in CI (``CI=true``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


from ..conftest import IN_CI
from ..report.helpers import render, samples_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600")


def _require_chromium() -> tuple[str, str]:
    browser = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    driver = str(CHROMEDRIVER) if CHROMEDRIVER.is_file() else shutil.which("chromedriver")
    if not (browser and driver):
        message = ("headless Chromium not found (/usr/bin/chromium and /usr/bin/chromedriver): "
                   "`make tools` or `apt-get install chromium chromium-driver` installs them")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return browser, driver


@pytest.fixture
def driver(tmp_path):
    browser, driver_path = _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver_path), options=options)
    chrome.set_page_load_timeout(30)
    try:
        yield chrome
    finally:
        chrome.quit()


_ROWS_JS = """
return Array.from(document.querySelectorAll('#entries tbody tr'))
  .filter(function (row) { return row.offsetParent !== null; })
  .map(function (row) { return Array.from(row.cells).map(function (cell) { return cell.innerText.trim(); }); });
"""


def _visible_rows(driver) -> list[list[str]]:
    """Cell texts of the rows the browser shows (one round trip)."""
    return driver.execute_script(_ROWS_JS)


def _column(driver, index: int) -> list[str]:
    return [row[index] for row in _visible_rows(driver)]


def test_html_report_in_headless_chromium(driver, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    page.write_bytes(render(samples_report(), "html", "vi"))
    driver.get(page.as_uri())
    assert driver.title.startswith("Báo cáo kết quả kiểm tra văn bản điện tử")

    rows = _visible_rows(driver)
    assert len(rows) == 14
    shown = driver.find_element(By.ID, "shown")
    assert shown.text == "Hiển thị 14/14 dòng"

    # the filter box: words without diacritics find Vietnamese text, other rows hide
    box = driver.find_element(By.ID, "filter")
    box.send_keys("khong qua phan mem")
    rows = _visible_rows(driver)
    assert 0 < len(rows) < 14
    assert all(any("không qua phần mềm" in cell for cell in row) for row in rows)
    assert shown.text == f"Hiển thị {len(rows)}/14 dòng"
    box.clear()
    box.send_keys("SO-TTTT")
    assert set(_column(driver, 0)) == {"SO-TTTT"}
    box.clear()
    box.send_keys(" ")       # an input event with nothing to match: every row is back
    assert len(_visible_rows(driver)) == 14

    # sort by the register row (numeric), then reverse, then by date (ISO sort key)
    header = driver.find_element(By.CSS_SELECTOR, "#entries thead th:nth-child(2) button")
    header.click()
    numbers = [int(n) for n in _column(driver, 1)]
    assert numbers == sorted(numbers)
    assert driver.find_element(By.CSS_SELECTOR, "#entries thead th:nth-child(2)").get_attribute("aria-sort") == "ascending"
    header.click()
    assert [int(n) for n in _column(driver, 1)] == sorted(numbers, reverse=True)
    driver.find_element(By.CSS_SELECTOR, "#entries thead th:nth-child(4) button").click()
    dates = ["/".join(reversed(d.split("/"))) for d in _column(driver, 3)]    # dd/mm/yyyy → yyyy/mm/dd
    assert dates == sorted(dates)

    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    assert errors == [], errors
