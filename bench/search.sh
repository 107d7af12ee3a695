#!/usr/bin/env bash
# Search indexing: in process (normbook build with search, minus the same build without)
# against the pagefind command-line tool (npm package `pagefind`) on the same HTML.
# Usage: bench/search.sh NORMBOOK_BIN PAGEFIND_CLI SITE_DIR [RUNS]
set -euo pipefail
bin=$1; cli=$2; site=$3; runs=${4:-3}
out=$(mktemp -d)
measure() { # prints "seconds peak_kB" of a command
  /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for i in $(seq "$runs"); do
  measure "$bin" build --quiet --root "$site" --output "$out/with" >> "$out/with.txt"
  measure "$bin" build --quiet --no-search --root "$site" --output "$out/without" >> "$out/without.txt"
  rm -rf "$out/cli-site" && cp -r "$out/without" "$out/cli-site"
  measure "$cli" --site "$out/cli-site" >> "$out/cli.txt"
done
with_s=$(cut -d' ' -f1 "$out/with.txt" | median); with_kb=$(cut -d' ' -f2 "$out/with.txt" | median)
without_s=$(cut -d' ' -f1 "$out/without.txt" | median); without_kb=$(cut -d' ' -f2 "$out/without.txt" | median)
cli_s=$(cut -d' ' -f1 "$out/cli.txt" | median); cli_kb=$(cut -d' ' -f2 "$out/cli.txt" | median)
pages=$(find "$out/without" -name '*.html' | wc -l)
echo "$pages HTML pages, median of $runs runs"
echo "build without search: ${without_s} s, peak ${without_kb} kB"
echo "build with search:    ${with_s} s, peak ${with_kb} kB  (indexing in process: $(echo "$with_s - $without_s" | bc) s)"
echo "pagefind CLI alone:   ${cli_s} s, peak ${cli_kb} kB"
rm -rf "$out"
