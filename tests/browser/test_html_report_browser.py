"""The HTML report in a real browser (headless Chromium through selenium): no console errors, the
filter box hides rows, a column header sorts, a screenshot is saved, and the entry table's columns
all fit a 1,400 px window (element bounding boxes), scrolling inside their wrapper on a narrow one.

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


# --------------------------------------------------------------------------- the entry table's width

_LAYOUT_JS = """
var table = document.getElementById('entries'), box = table.parentElement;
function edges(el) { var r = el.getBoundingClientRect(); return [r.left, r.right]; }
return {
  viewport: document.documentElement.clientWidth,
  page: document.documentElement.scrollWidth,
  box: edges(box), boxScroll: [box.scrollWidth, box.clientWidth],
  columns: Array.from(table.tHead.rows[0].cells).map(function (th) {
    return [th.innerText.replace(/[\\u2195\\u25B2\\u25BC]/g, '').trim()].concat(edges(th)); }),
  signatures: Array.from(table.querySelectorAll('tbody td.sigs')).map(edges),
};
"""


def _viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly ``width``×``height`` CSS pixels, whatever the window's frame."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _layout(driver, page: Path, width: int, height: int = 900) -> dict:
    _viewport(driver, width, height)
    driver.get(page.as_uri())
    return driver.execute_script(_LAYOUT_JS)


def _long_texts(report):
    """The samples' report with the longest texts a register and real certificates give: a
    certificate subject with no common name (the whole subject shows), long unbroken reason
    codes, file paths and subjects."""
    from docaudit.pipeline.report import AuditReport

    data = report.to_json()
    subject = ("Serial Number: CCCD:002088012345, Organization: Ủy ban nhân dân huyện Bắc Quang tỉnh Hà Giang, "
               "Organizational Unit: Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện, "
               "State/Province: Hà Giang, Country: VN, Email: vanthu.ubnd.bacquang@hagiang.gov.vn")
    for entry in data["entries"]:
        entry["subject"] = entry["subject"] + " " + "Quyết_định_phê_duyệt_" * 6
        if entry.get("file"):
            entry["file"] = "files/" + "thu-muc-luu-tru-van-ban-di-den-nam-2021/" * 3 + entry["file"].rsplit("/", 1)[-1]
        for sig in entry["signatures"]:
            sig["signer_name"], sig["signer"] = None, subject
            if sig["reasons"]:
                sig["reasons"] = [*sig["reasons"], "NO_CERTIFICATE_CHAIN_FOUND_IN_THE_GIVEN_TRUST_ROOTS"]
    return AuditReport.from_json(data)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("texts", ["samples", "long"])
def test_every_entry_column_is_visible_at_1400_px(driver, tmp_path, lang, texts) -> None:
    """At a 1,400×900 window every column of the entry table — the signature column included —
    ends inside the viewport and inside the table's wrapper, which has nothing to scroll."""
    report = samples_report() if texts == "samples" else _long_texts(samples_report())
    page = tmp_path / "report.html"
    page.write_bytes(render(report, "html", lang))
    layout = _layout(driver, page, 1400)
    left, right = layout["box"]
    assert layout["page"] <= layout["viewport"] <= 1400
    assert layout["boxScroll"][0] <= layout["boxScroll"][1], layout  # nothing hidden to the right
    assert len(layout["columns"]) == 11
    for name, start, end in layout["columns"]:
        assert left - 0.5 <= start < end <= right + 0.5, (name, start, end, layout["box"])
    signatures = layout["columns"][9]
    assert signatures[0] == ("Chữ ký số" if lang == "vi" else "Signatures")
    assert signatures[2] - signatures[1] >= 150  # wide enough to read a signer's name
    assert layout["signatures"]
    assert all(left - 0.5 <= start and end <= right + 0.5 for start, end in layout["signatures"])


def test_entry_table_on_a_narrow_screen_scrolls_in_its_wrapper(driver, tmp_path) -> None:
    """On a narrow window the columns keep a readable width: the table's wrapper scrolls
    sideways, the page itself does not."""
    page = tmp_path / "report.html"
    page.write_bytes(render(_long_texts(samples_report()), "html", "vi"))
    layout = _layout(driver, page, 800)
    assert layout["page"] <= layout["viewport"]
    assert layout["boxScroll"][0] > layout["boxScroll"][1]
    widths = {name: end - start for name, start, end in layout["columns"]}
    assert min(widths.values()) >= 40, widths
    assert widths["Chữ ký số"] >= 150 and widths["Phát hiện"] >= 180 and widths["Trích yếu"] >= 120, widths
