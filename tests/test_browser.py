"""The HTML report in a real browser: it renders with no console error and is not blank.

Uses Chromium from the system packages (``apt-get install chromium``), headless, with a
fresh profile and no network features; the page is a local file with no external assets.
Skips, saying why, where no browser is installed (CI may not have one).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from tests.fixture_store import make_store

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless browser installed (apt-get install chromium)")
THEMES = str(Path(__file__).parent / "golden" / "themes.yaml")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)  # type: ignore[arg-type]


def console_errors(log: str) -> list[str]:
    """Console messages and uncaught errors from Chromium's log (``--enable-logging=stderr``)."""
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGB or RGBA PNG (enough for a screenshot)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def colours(rows: list[bytes], bpp: int = 3) -> int:
    return len({row[i:i + bpp] for row in rows[::8] for i in range(0, len(row), bpp * 8)})


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    store = make_store(root / "store")
    target = root / "hillingdon.html"
    result = CliRunner().invoke(app, ["--store", str(store), "-q", "timeline", "hillingdon", "--html", str(target)],
                                env={"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_THEMES": THEMES})
    assert result.exit_code == 0, result.stderr
    return target


def test_the_report_renders_without_console_errors(report: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_errors(done.stderr) == []
    dom = done.stdout
    assert "<svg" in dom and 'id="inspections"' in dom and "Source: Ofsted reports read by ofstl" in dom


def test_the_console_check_catches_an_error(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><script>console.error("boom"); missing();</script></body></html>', encoding="utf-8")
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert len(console_errors(done.stderr)) == 2


def test_a_screenshot_of_the_report_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", report.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    data = shot.read_bytes()
    width, height, rows = png_pixels(data)
    assert (width, height) == (1200, 1600)
    bpp = 4 if data[25] == 6 else 3
    assert colours(rows, bpp) > 20  # text, grade colours, chart lines: far from one colour
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    chromium(tmp_path, "--window-size=400,300", f"--screenshot={tmp_path / 'blank.png'}", blank.as_uri())
    assert colours(png_pixels((tmp_path / "blank.png").read_bytes())[2], bpp) == 1  # the check can tell
