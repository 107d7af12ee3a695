#!/usr/bin/env python3
"""Benchmark normbook against Hugo and mdBook on the same synthetic handbook.

Run from anywhere (Python 3 standard library only):

    bench/compare.py                          # sizes 100, 1000, 10000; 3 runs each
    bench/compare.py --sizes 100,1000 --runs 3 --json /tmp/bench.json
    bench/compare.py --search-only --baseline OLD_BINARY   # search: normbook vs Hugo + pagefind

For each size it writes a site with bench/gen_site.py, converts the same Markdown bodies into
a minimal Hugo site and an mdBook (`[[rNNNNN:N]]` references become ordinary Markdown links,
footnotes stay footnotes), checks that each tool writes one HTML page per report, and times:
normbook build with and without search, normbook check, normbook's save-to-served rebuild in
`serve` (bench/reload.py), `hugo`, `mdbook build` (search off), and the floor: pulldown-cmark
alone over the same files (benches/floor.rs), serially and with rayon. Each figure is the
median wall time and peak RSS (GNU time's %M) of --runs runs, the tools taking turns within a
round (at 10,000 pages mdBook runs at most --runs-large times). Prints one Markdown table per
size, with the ratios normbook/Hugo and normbook/mdBook, rebuild/full build and full
build/floor; --json FILE keeps the raw figures.

Search is compared with what a Hugo user would run: `hugo` then the pagefind command-line
tool (npm package `pagefind`, the same version as normbook's pagefind crate, its native
binary run directly) over Hugo's output, timed as one command. --search-only times just
normbook with and without search, --baseline's binary with search, and that pairing.

Missing peers are installed first (Hugo with apt-get, mdBook with `cargo install mdbook
--locked`) unless --no-install is given. Work files go to --work (default /tmp/normbook-bench).
"""
import argparse
import contextlib
import hashlib
import io
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
import urllib.error
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
CARGO_BIN = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin"
TIME = "/usr/bin/time"  # GNU time, for the peak RSS
HUGO_FLAGS = ["--quiet", "--ignoreCache"]
REF = re.compile(r"\[\[([A-Za-z0-9_-]+):(\d+)\]\]")
FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n(.*)\Z", re.S)


def say(text):
    print(text, flush=True)


def run(cmd, **kwargs):
    say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def output_of(cmd):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True).stdout.strip()


# --- the peers ---------------------------------------------------------------------------

def find_tool(name):
    found = shutil.which(name) or (CARGO_BIN / name if (CARGO_BIN / name).exists() else None)
    return Path(found) if found else None


def apt_install(package):
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run(sudo + ["apt-get", "install", "-y", package], env=env)
    except subprocess.CalledProcessError:
        say("apt-get install failed; updating the package lists and trying again")
        run(sudo + ["apt-get", "update"], env=env)
        run(sudo + ["apt-get", "install", "-y", package], env=env)


def ensure_hugo():
    if not find_tool("hugo"):
        say("Hugo is missing: installing Debian's package `hugo`")
        apt_install("hugo")


def ensure_gnu_time():
    if not Path(TIME).exists():
        say("GNU time is missing: installing Debian's package `time`")
        apt_install("time")


def ensure_mdbook():
    if find_tool("mdbook"):
        return
    say(f"mdBook is missing: building it from crates.io into {CARGO_BIN} (takes a few minutes)")
    run(["nice", "cargo", "install", "mdbook", "--locked"])


def pagefind_version():
    """The version of the pagefind crate normbook is built with, from Cargo.lock."""
    lock = tomllib.loads((REPO / "Cargo.lock").read_text())
    return next(p["version"] for p in lock["package"] if p["name"] == "pagefind")


def ensure_pagefind(work, install):
    """The pagefind command-line tool's native binary, from npm into work/pagefind."""
    folder = work / "pagefind"
    found = sorted(p for p in folder.glob("node_modules/@pagefind/*/bin/pagefind*") if p.suffix != ".sha256")
    if not found and install:
        say(f"The pagefind command-line tool is missing: installing npm's pagefind@{pagefind_version()} into {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", folder, "--no-audit", "--no-fund", f"pagefind@{pagefind_version()}"])
        return ensure_pagefind(work, False)
    if not found:
        sys.exit(f"error: no pagefind binary under {folder} (run without --no-install to install it)")
    return found[0]


def then(first, second):
    """One command that runs `first`, then `second`: GNU time's peak is the larger of the two."""
    first, second = (" ".join(shlex.quote(str(c)) for c in cmd) for cmd in (first, second))
    return ["sh", "-c", f"{first} && {second} >/dev/null"]


def require(name):
    path = find_tool(name)
    if not path:
        sys.exit(f"error: {name} not found (run without --no-install to install it)")
    return path


def versions(tools):
    return {
        "normbook": output_of([tools["normbook"], "--version"]),
        "normbook_sha256": hashlib.sha256(tools["normbook"].read_bytes()).hexdigest()[:16],
        "normbook_binary_built": time.strftime("%Y-%m-%d %H:%M", time.localtime(tools["normbook"].stat().st_mtime)),
        "normbook_commit": output_of(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]),
        "normbook_tree_dirty": bool(output_of(["git", "-C", REPO, "status", "--porcelain", "src"])),
        "hugo": output_of([tools["hugo"], "version"]),
        "mdbook": output_of([tools["mdbook"], "--version"]) if "mdbook" in tools else None,
        "pagefind": output_of([tools["pagefind"], "--version"]),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
    }


# --- the floor (benches/floor.rs) -------------------------------------------------------

def build_floor(work):
    """The floor binary: `cargo bench --bench floor --no-run` in the repo. That builds the
    whole crate too (target/release/normbook included, from the working tree as it is), so
    when src/ does not compile at the moment, the same floor.rs is built as a tiny standalone
    crate instead (pulldown-cmark and rayon at the repo's locked versions)."""
    say("Building the floor (benches/floor.rs)")
    cmd = ["nice", "cargo", "bench", "--bench", "floor", "--no-run", "--message-format=json"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("target", {}).get("name") == "floor" and message.get("executable"):
            return Path(message["executable"]), "cargo bench --bench floor"
    say("cargo bench --bench floor failed (the crate does not build right now?); "
        "building benches/floor.rs on its own instead")
    return build_floor_standalone(work / "floor"), "standalone crate"


def build_floor_standalone(folder):
    folder.mkdir(parents=True, exist_ok=True)
    deps = tomllib.loads((REPO / "Cargo.toml").read_text())["dependencies"]
    manifest = ["[package]", 'name = "floor"', 'version = "0.0.0"', 'edition = "2021"', "",
                "[[bin]]", 'name = "floor"', f'path = "{REPO / "benches" / "floor.rs"}"', "",
                "[dependencies]", f"rayon = {json.dumps(deps['rayon'])}",
                'pulldown-cmark = { version = "%s", default-features = false, features = ["html"] }'
                % deps["pulldown-cmark"]["version"],
                "", "[profile.release]", 'debug = "line-tables-only"', ""]
    (folder / "Cargo.toml").write_text("\n".join(manifest))
    shutil.copy(REPO / "Cargo.lock", folder / "Cargo.lock")
    run(["nice", "cargo", "build", "--release", "--quiet"], cwd=folder)
    return folder / "target" / "release" / "floor"


# --- the sites ---------------------------------------------------------------------------

def read_reports(content):
    """(front matter, body) of every report of a generated normbook site, in order."""
    reports = []
    for path in sorted(content.glob("*.md")):
        match = FRONT_MATTER.match(path.read_text())
        if not match:
            sys.exit(f"error: {path}: no +++ front matter")
        reports.append((tomllib.loads(match.group(1)), match.group(2)))
    return reports


def link_references(body, symbols, suffix):
    """`[[r00012:5]]` -> `[A/12/1, para. 5](r00012<suffix>#r00012-5)` (normbook's anchor)."""
    def link(match):
        doc, para = match.groups()
        return f"[{symbols.get(doc, doc)}, para. {para}]({doc}{suffix}#{doc}-{para})"
    return REF.sub(link, body)


HUGO_CONFIG = '''baseURL = "http://localhost/"
title = "Synthetic handbook"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
'''
HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
                   '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}'
                 '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def write_hugo(folder, reports, symbols):
    """A minimal Hugo site: one content/<id>.md a report, built to <id>.html (uglyURLs)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content").mkdir(parents=True)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "config.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / "_default" / name).write_text(text)
    for meta, body in reports:
        front = f'+++\ntitle = {json.dumps(meta["title"])}\ndate = {meta["date"]}\nweight = {meta["order"] + 1}\n+++\n'
        (folder / "content" / f'{meta["id"]}.md').write_text(front + link_references(body, symbols, ".html"))


BOOK_TOML = '''[book]
title = "Synthetic handbook"

[output.html.search]
enable = false

[output.html.print]
enable = false
'''


def write_mdbook(folder, reports, symbols):
    """An mdBook: src/SUMMARY.md lists every report as a chapter; search and print page off."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "src").mkdir(parents=True)
    (folder / "book.toml").write_text(BOOK_TOML)
    summary = ["# Summary", ""]
    for meta, body in reports:
        summary.append(f'- [{meta["title"]}]({meta["id"]}.md)')
        text = f'# {meta["title"]}\n\n' + link_references(body, symbols, ".md")
        (folder / "src" / f'{meta["id"]}.md').write_text(text)
    (folder / "src" / "SUMMARY.md").write_text("\n".join(summary) + "\n")


def prepare_sites(size, root, theme):
    say(f"Generating {size} reports in {root}")
    run([sys.executable, BENCH / "gen_site.py", size, root / "normbook", "--theme", theme])
    reports = read_reports(root / "normbook" / "content")
    symbols = {meta["id"]: meta.get("symbol", meta["id"]) for meta, _ in reports}
    write_hugo(root / "hugo", reports, symbols)
    write_mdbook(root / "mdbook", reports, symbols)
    return sum(len(body) for _, body in reports)


# --- measuring ---------------------------------------------------------------------------

def measure(cmd, log):
    """Runs cmd to the end; (wall ms, peak RSS in kB). The peak comes from GNU time, not from
    os.wait4 here: a child spawned by this (large) Python process keeps its parent's RSS high
    -water mark across exec, so wait4 would report at least this process's size."""
    peak_file = log.with_suffix(".peak")
    with open(log, "ab") as out:
        start = time.perf_counter()
        code = subprocess.call([str(c) for c in (TIME, "-f", "%M", "-o", peak_file, *cmd)], stdout=out, stderr=subprocess.STDOUT)
        wall = (time.perf_counter() - start) * 1000
    if code != 0:
        sys.exit(f"error: exit {code} from {' '.join(map(str, cmd))}; see {log}")
    return wall, int(peak_file.read_text().split()[-1])


def count_pages(folder, pattern, expected, tool):
    found = len(list(folder.glob(pattern)))
    expected = 1 if pattern.startswith("pagefind/") else expected
    if found != expected:
        sys.exit(f"error: {tool} wrote {found} pages matching {folder}/{pattern}, expected {expected}")


def build_plan(size, root, tools, runs, runs_large, search_only):
    """(name, command, output folder, page glob or None, runs) of each timed command."""
    nb, site, out = tools["normbook"], root / "normbook", root / "out"
    mdbook_runs = min(runs, runs_large) if size >= 10000 else runs
    def hugo(destination):
        return [tools["hugo"], *HUGO_FLAGS, "--source", root / "hugo", "--destination", destination]
    baseline = tools.get("baseline")
    plan = [
        ("normbook build --no-search", [nb, "build", "--quiet", "--root", site, "--output", out / "nb", "--no-search"],
         out / "nb", "reports/r*.html", runs),
        ("normbook build (with search)", [nb, "build", "--quiet", "--root", site, "--output", out / "nb-search"],
         out / "nb-search", "reports/r*.html", runs),
        *([(BASELINE, [baseline, "build", "--quiet", "--root", site, "--output", out / "nb-baseline"],
            out / "nb-baseline", "reports/r*.html", runs)] if baseline else []),
        (HUGO_PAGEFIND, then(hugo(out / "hugo-pagefind"), [tools["pagefind"], "--site", out / "hugo-pagefind"]),
         out / "hugo-pagefind", "pagefind/pagefind-entry.json", runs),
    ]
    if search_only:
        return plan
    return plan + [
        ("normbook check", [nb, "check", "--quiet", "--root", site], None, None, runs),
        ("hugo", hugo(out / "hugo"), out / "hugo", "r*.html", runs),
        ("mdbook build (no search)", [tools["mdbook"], "build", root / "mdbook", "--dest-dir", out / "mdbook"],
         out / "mdbook", "r*.html", mdbook_runs),
    ]


def time_builds(size, root, tools, runs, runs_large, search_only):
    """Runs the plan round by round (each tool once a round) so load from elsewhere on the
    machine falls on all of them alike. Returns {name: {"wall_ms": [...], "peak_kb": [...]}}."""
    plan = build_plan(size, root, tools, runs, runs_large, search_only)
    figures = {name: {"wall_ms": [], "peak_kb": []} for name, *_ in plan}
    for round_ in range(max(p[-1] for p in plan)):
        for name, cmd, out, pages, run_count in plan:
            if round_ >= run_count:
                continue
            if out:
                shutil.rmtree(out, ignore_errors=True)
            wall, peak = measure(cmd, root / "log.txt")
            if out:
                count_pages(out, pages, size, name)
            figures[name]["wall_ms"].append(wall)
            figures[name]["peak_kb"].append(peak)
            say(f"  [{size}] run {round_ + 1}: {name}: {wall:.0f} ms, {peak / 1024:.0f} MB")
    return figures


def time_floor(floor, site, runs, log):
    log.unlink(missing_ok=True)
    wall, peak = measure([floor, site, "--runs", runs], log)
    values = dict(line.split("=", 1) for line in log.read_text().splitlines() if line.startswith("floor_"))
    figures = {}
    for kind in ("serial", "parallel"):
        each = [float(v) for v in values[f"floor_{kind}_runs_ms"].split(",")]
        figures[f"floor: pulldown-cmark, {kind}"] = {"wall_ms": each, "peak_kb": [peak]}
    say(f"  floor: serial {values['floor_serial_ms']} ms, parallel {values['floor_parallel_ms']} ms "
        f"({values['floor_files']} files, whole process {wall:.0f} ms)")
    return figures


def patient(get, seconds):
    """reload.py gives the server 30 s to come up; a big site needs longer to build and index
    before it listens, so a refused connection is retried for up to `seconds`."""
    def patient_get(url):
        deadline = time.monotonic() + seconds
        while True:
            try:
                return get(url)
            except urllib.error.HTTPError:
                raise
            except (ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    return patient_get


def run_reload(nb, site, doc, edits):
    """bench/reload.py, run in process; returns what it printed."""
    sys.path.insert(0, str(BENCH))
    import reload
    if not hasattr(reload, "plain_get"):
        reload.plain_get = reload.get
        reload.get = patient(reload.plain_get, 1800)
    argv, sys.argv = sys.argv, ["reload.py", str(nb), str(site), f"content/{doc}.md", f"/reports/{doc}.html", str(edits)]
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            reload.main()
    finally:
        sys.argv = argv
    return printed.getvalue()


def time_rebuild(nb, site, size, edits, search):
    """Save one paragraph of the middle report, time until `serve` serves the page with the
    change (bench/reload.py; median of `edits` edits). Measured twice: with `search = false`
    added to site.toml (the rebuild alone, compared with `build --no-search`) and with search
    on, the site's default, which shows whether an edit, 0.3 s after the last, ever waits for
    the search indexing of the one before."""
    config = site / "site.toml"
    original = config.read_text()
    config.write_text(original + ("" if search else "search = false\n"))
    try:
        printed = run_reload(nb, site, f"r{size // 2:05d}", edits)
    finally:
        config.write_text(original)
    say("  " + printed.strip().replace("\n", "\n  "))
    served = re.search(r"new page served: median (\d+) ms \(min (\d+), max (\d+)\)", printed)
    signal = re.search(r"reload signal: median (\d+) ms", printed)
    name = f"normbook rebuild in serve, search {'on' if search else 'off'} (save → page served)"
    return {name: {"wall_ms": [float(served.group(1))], "peak_kb": [], "edits": edits,
                   "min_ms": float(served.group(2)), "max_ms": float(served.group(3)),
                   "reload_signal_median_ms": float(signal.group(1))}}


# --- reporting ---------------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else None


def paired_ratio(figures, a, b, key):
    """Median of the run-by-run ratios a/b (runs of the same round), or the ratio of the
    medians when the two were not run the same number of times."""
    xs, ys = figures[a][key], figures[b][key]
    if xs and len(xs) == len(ys):
        return statistics.median(x / y for x, y in zip(xs, ys))
    return median(xs) / median(ys) if xs and ys else None


FULL = "normbook build --no-search"
SEARCH = "normbook build (with search)"
BASELINE = "normbook build (with search), --baseline binary"
HUGO_PAGEFIND = "hugo + pagefind CLI"
REBUILD = "normbook rebuild in serve, search off (save → page served)"
PEERS = ("hugo", "mdbook build (no search)")


def times(x):
    return "–" if x is None else f"{x:.2f}×"


def figures_table(figures):
    lines = ["| measurement | runs | median wall ms | min–max ms | peak MB |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, f in figures.items():
        runs = f.get("edits", len(f["wall_ms"]))
        low, high = f.get("min_ms", min(f["wall_ms"])), f.get("max_ms", max(f["wall_ms"]))
        peak = f"{median(f['peak_kb']) / 1024:,.0f}" if f["peak_kb"] else "–"
        lines.append(f"| {name} | {runs} | {median(f['wall_ms']):,.0f} | {low:,.0f}–{high:,.0f} | {peak} |")
    return lines


def ratios_table(figures):
    full = median(figures[FULL]["wall_ms"])
    lines = ["| ratio | wall | peak memory |", "| --- | ---: | ---: |"]
    for ours in (SEARCH, BASELINE):
        if ours in figures:
            lines.append(f"| {ours} ÷ {HUGO_PAGEFIND} (run by run) | {times(paired_ratio(figures, ours, HUGO_PAGEFIND, 'wall_ms'))} "
                         f"| {times(paired_ratio(figures, ours, HUGO_PAGEFIND, 'peak_kb'))} |")
    for peer in (p for p in PEERS if p in figures):
        lines.append(f"| {FULL} ÷ {peer} (run by run) | {times(paired_ratio(figures, FULL, peer, 'wall_ms'))} "
                     f"| {times(paired_ratio(figures, FULL, peer, 'peak_kb'))} |")
    if REBUILD in figures:
        lines.append(f"| rebuild in serve (search off) ÷ {FULL} | {median(figures[REBUILD]['wall_ms']) / full * 100:.0f} % | |")
    for kind in ("serial", "parallel"):
        floor = figures.get(f"floor: pulldown-cmark, {kind}")
        if floor:
            lines.append(f"| {FULL} ÷ floor ({kind}) | {times(full / median(floor['wall_ms']))} | |")
    return lines


def table(size, markdown_bytes, figures, seconds):
    title = f"### {size:,} pages ({markdown_bytes / 1e6:.1f} MB of Markdown bodies; took {seconds / 60:.1f} min)"
    return "\n".join([title, "", *figures_table(figures), "", *ratios_table(figures)]) + "\n"


# --- main ----------------------------------------------------------------------------------

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100,1000,10000", help="comma-separated page counts (default 100,1000,10000)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    p.add_argument("--runs-large", type=int, default=1,
                   help="at 10,000 pages and more, mdBook runs at most this many times (default 1)")
    p.add_argument("--edits", type=int, default=5, help="edits timed in `serve` for the rebuild figure (default 5)")
    p.add_argument("--work", type=Path, default=Path("/tmp/normbook-bench"), help="work folder (default /tmp/normbook-bench)")
    p.add_argument("--normbook", type=Path, default=REPO / "target" / "release" / "normbook", help="the binary to measure")
    p.add_argument("--json", type=Path, help="write the raw figures here")
    p.add_argument("--no-install", action="store_true", help="do not install missing peers")
    p.add_argument("--search-only", action="store_true",
                   help="time only normbook with and without search, --baseline and Hugo + pagefind CLI")
    p.add_argument("--baseline", type=Path, help="another normbook binary to time with search (an earlier build)")
    return p.parse_args()


def snapshot(args):
    """Copies of the normbook binary and theme, so a rebuild in the repo mid-run changes nothing."""
    (args.work / "bin").mkdir(parents=True, exist_ok=True)
    binary = args.work / "bin" / "normbook"
    shutil.copy2(args.normbook, binary)
    if args.baseline:
        shutil.copy2(args.baseline, args.work / "bin" / "normbook-baseline")
    theme = args.work / "theme"
    shutil.rmtree(theme, ignore_errors=True)
    shutil.copytree(REPO / "themes" / "default", theme)
    return binary, theme


def main():
    args = parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    if not args.no_install:
        ensure_gnu_time()
        ensure_hugo()
        if not args.search_only:
            ensure_mdbook()
    require(TIME)
    tools = {"hugo": require("hugo"), "pagefind": ensure_pagefind(args.work, not args.no_install)}
    if not args.search_only:
        tools["mdbook"] = require("mdbook")
    # Building the floor may rebuild target/release/normbook: snapshot after.
    floor, floor_how = (None, None) if args.search_only else build_floor(args.work)
    tools["normbook"], theme = snapshot(args)
    if args.baseline:
        tools["baseline"] = args.work / "bin" / "normbook-baseline"
    meta = {**versions(tools), "floor_built_by": floor_how, "search_only": args.search_only, "hugo_flags": HUGO_FLAGS, "book_toml": BOOK_TOML,
            "runs": args.runs, "runs_large": args.runs_large, "edits": args.edits, "date": time.strftime("%Y-%m-%d %H:%M")}
    say(json.dumps(meta, indent=1))
    results, tables = {}, []
    for size in sizes:
        size_started = time.perf_counter()
        root = args.work / f"s{size}"
        root.mkdir(parents=True, exist_ok=True)
        markdown_bytes = prepare_sites(size, root, theme)
        figures = time_builds(size, root, tools, args.runs, args.runs_large, args.search_only)
        if not args.search_only:
            figures.update(time_floor(floor, root / "normbook", args.runs, root / "floor.txt"))
            for search in (False, True):
                figures.update(time_rebuild(tools["normbook"], root / "normbook", size, args.edits, search))
        seconds = time.perf_counter() - size_started
        results[size] = {"markdown_bytes": markdown_bytes, "seconds": seconds, "figures": figures}
        tables.append(table(size, markdown_bytes, figures, seconds))
        say("\n" + tables[-1])
        if args.json:
            args.json.write_text(json.dumps({"meta": meta, "sizes": results}, indent=1))
    total = time.perf_counter() - started
    say(f"\n## normbook vs Hugo vs mdBook ({meta['date']}, {total / 60:.1f} min in all)\n")
    say("\n".join(tables))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "sizes": results, "seconds": total}, indent=1))


if __name__ == "__main__":
    main()
