#!/usr/bin/env python3
"""A real browser against `fieldroute serve`: Debian's chromium driven through chromedriver (W3C
WebDriver, plain HTTP, no client library). It opens a customer's link, cancels with a reason (the
store says cancelled), opens another link's free times and moves the visit to the first one offered
(the store has the new booking), and renders the dispatcher's day to a PNG checked for content: one
route per technician, not blank. Without chromium and chromedriver it skips with a message.

    python3 Tests/browser/browser_check.py [--binary .build/debug/fieldroute] [--png day.png]
"""
import argparse, base64, json, os, shutil, socket, sqlite3, subprocess, sys, tempfile, time, urllib.request, zlib

NOW = "2026-11-22T10:00:00+01:00"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


def wait(url, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"browser check: {url} did not answer within {seconds} s")


def settled(read, expected, seconds=15):
    """`read()` once it equals `expected`, or its last value after `seconds`: a click returns when the
    browser has sent the form, not always once the server has answered and the store committed."""
    deadline = time.time() + seconds
    value = read()
    while value != expected and time.time() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def png_colours(data):
    """Distinct RGB colours of a PNG (8-bit RGB or RGBA, as chromium writes), by decoding it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big"); kind = data[pos + 4:pos + 8]; chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(chunk[0:4], "big"), int.from_bytes(chunk[4:8], "big")
            channels = {2: 3, 6: 4}[chunk[9]]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, prev, colours = zlib.decompress(idat), width * channels, bytearray(width * channels), set()
    for y in range(height):
        f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0; b = prev[i]; c = prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, channels * 3):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return colours


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=".build/debug/fieldroute")
    ap.add_argument("--png", default=None, help="keep the day's picture here")
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        print("browser check SKIPPED: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
        return 0
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="fieldroute-browser-")
    db = os.path.join(work, "day.sqlite")
    run = lambda *a: subprocess.run([binary, *a, "--db", db], check=True, capture_output=True, text=True).stdout.strip()
    # The demo region planned for 2026-11-24 and not yet driven: its visits can still be changed the day before.
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "demo")
    run("init", "--region", "lyon", "--time-zone", "Europe/Paris")
    for kind in ("technicians", "shifts", "customers", "bookings"):
        run("import", kind, os.path.join(fixtures, f"{kind}.csv"))
    run("plan", "--date", "2026-11-24", "--iterations", "300", "--seed", "1")
    staff = run("staff-token", "--label", "browser")
    cancel_token = run("link", "--booking", "B-2041", "--now", NOW)
    move_token = run("link", "--booking", "B-2042", "--now", NOW)
    port, dport = free_port(), free_port()
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), "--now", NOW], stderr=subprocess.DEVNULL)
    chrome = subprocess.Popen([driver, f"--port={dport}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site, wd = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{dport}"
    failures = []
    try:
        wait(site + "/healthz"); wait(wd + "/status")
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1500"]}}}}
        sid = call(wd, "POST", "/session", caps)["value"]["sessionId"]
        s = f"/session/{sid}"
        find = lambda css: call(wd, "POST", s + "/element", {"using": "css selector", "value": css})["value"]
        eid = lambda el: next(iter(el.values()))
        status = lambda b: sqlite3.connect(db).execute("SELECT status FROM booking WHERE externalId = ?", (b,)).fetchone()

        # 1. Cancel with a reason from the customer's page.
        call(wd, "POST", s + "/url", {"url": f"{site}/s/{cancel_token}"})
        call(wd, "POST", s + f"/element/{eid(find('#reason'))}/value", {"text": "not home"})  # types into the select: picks "not home"
        click = lambda css: call(wd, "POST", s + "/element/" + eid(find(css)) + "/click", {})
        click('form[action$="/cancel"] button')
        cancelled = settled(lambda: status("B-2041"), ("cancelled",))
        text = call(wd, "GET", s + "/source")["value"]
        if cancelled != ("cancelled",): failures.append(f"cancel: store says {cancelled}")
        if "cancelled" not in text: failures.append("cancel: the page does not say cancelled: " + text[text.find("<main>"):][:400])

        # 2. Move another visit to the first free time offered.
        call(wd, "POST", s + "/url", {"url": f"{site}/s/{move_token}/reschedule"})
        click("#slot0")
        click('form[action$="/reschedule"] button')
        moved = settled(lambda: status("B-2042"), ("rescheduled",))
        if moved != ("rescheduled",):
            page = call(wd, "GET", s + "/source")["value"]
            failures.append(f"reschedule: store says {moved}; the page: " + page[page.find("<main>"):][:300])
        if status("B-2042-R1") is None: failures.append("reschedule: no booking B-2042-R1")

        # 3. The dispatcher's day as a picture.
        call(wd, "POST", s + "/url", {"url": f"{site}/day/2026-11-24?key={staff}"})
        technicians = sqlite3.connect(db).execute("SELECT COUNT(DISTINCT technicianId) FROM route").fetchone()[0]
        drawn = lambda: call(wd, "POST", s + "/elements", {"using": "css selector", "value": "#map g.route"})["value"]
        routes = drawn()
        if len(routes) != technicians:
            settled(lambda: len(drawn()), technicians)
            routes = drawn()
        if len(routes) != technicians: failures.append(f"day: {len(routes)} routes drawn for {technicians} technicians")
        png = base64.b64decode(call(wd, "GET", s + "/screenshot")["value"])
        if args.png:
            open(args.png, "wb").write(png)
        colours = len(png_colours(png))
        if colours < 12: failures.append(f"day: the picture has {colours} colours: blank?")
        call(wd, "DELETE", s)
        print(f"browser check: cancel, reschedule, day picture ({len(routes)} routes, {colours} colours, {len(png)} bytes)")
    finally:
        server.terminate(); chrome.terminate()
        shutil.rmtree(work, ignore_errors=True)
    for f in failures: print("FAILED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
