#!/usr/bin/env python3
"""Save-to-reload latency of `normbook serve`: edits one paragraph of a content file,
then measures the time until the build status changes (the reload signal) and until the
page is served with the new text. Prints the median of RUNS edits.
Usage: reload.py NORMBOOK_BIN SITE_DIR CONTENT_FILE PAGE_PATH [RUNS]"""
import json, socket, statistics, subprocess, sys, time, urllib.request

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def get(url):
    with urllib.request.urlopen(url) as r:
        return r.read().decode()

def main():
    binary, site, content, page = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 15
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--quiet", "--port", str(port)], cwd=site)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                get(base + "/__normbook/build"); break
            except Exception:
                time.sleep(0.05)
        path = f"{site}/{content}"
        original = open(path).read()
        signal, served = [], []
        for i in range(runs):
            before = json.loads(get(base + "/__normbook/build"))["id"]
            marker = f"edit{i}marker"
            text = original.replace("\n1. ", f"\n1. {marker} ", 1) if i % 2 == 0 else original
            t0 = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            while json.loads(get(base + "/__normbook/build"))["id"] == before:
                time.sleep(0.002)
            t1 = time.perf_counter()
            while (marker in get(base + page)) != (i % 2 == 0):
                time.sleep(0.002)
            t2 = time.perf_counter()
            signal.append((t1 - t0) * 1000); served.append((t2 - t0) * 1000)
            time.sleep(0.3)
        with open(path, "w") as f:
            f.write(original)
        print(f"save -> reload signal: median {statistics.median(signal):.0f} ms (min {min(signal):.0f}, max {max(signal):.0f})")
        print(f"save -> new page served: median {statistics.median(served):.0f} ms (min {min(served):.0f}, max {max(served):.0f})")
    finally:
        server.kill()

if __name__ == "__main__":
    main()
