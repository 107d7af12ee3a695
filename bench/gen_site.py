#!/usr/bin/env python3
"""Writes a deterministic synthetic handbook shaped like the shipped one: N reports (one
page each) of numbered paragraphs with lettered sub-items, footnotes and cross-references,
about 25 KB of Markdown a page. Usage: gen_site.py PAGES OUT_DIR [--theme THEME_DIR]"""
import os, random, shutil, sys

WORDS = ("States should cooperate in developing and applying measures to increase stability and security "
         "in the use of ICTs and to prevent practices that are acknowledged to be harmful or that may pose "
         "threats to international peace and security including critical infrastructure incident response "
         "capacity building confidence norms guidance national positions international law").split()

def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."

def report(i, pages, rng):
    doc = f"r{i:05d}"
    lines = ["+++", f'id = "{doc}"', f'symbol = "A/{i}/1"', f'title = "Synthetic report {i}"',
             f'date = "2021-01-01"', f'order = {i}', 'paragraphs = ["1-40"]', "", "[references]",
             f'paragraphs = "{doc}"', "+++", ""]
    footnotes = []
    for n in range(1, 41):
        if n % 10 == 1:
            lines += [f"## Section {n // 10 + 1}", ""]
        text = " ".join(sentence(rng, rng.randint(12, 24)) for _ in range(4))
        refs = f" See paragraph {rng.randint(1, 40)} and [[r{rng.randrange(pages):05d}:{rng.randint(1, 40)}]]."
        mark = ""
        if n % 8 == 0:
            label = str(len(footnotes) + 1)
            mark = f"[^{label}]"
            footnotes.append(f"[^{label}]: {sentence(rng, 10)}")
        lines += [f"{n}. {text}{refs}{mark}", ""]
        if n % 5 == 0:
            for letter in "abcd":
                lines += [f"    ({letter}) {sentence(rng, rng.randint(15, 30))}", ""]
    lines += footnotes
    return "\n".join(lines) + "\n"

def main():
    pages, out = int(sys.argv[1]), sys.argv[2]
    theme = sys.argv[sys.argv.index("--theme") + 1] if "--theme" in sys.argv else None
    rng = random.Random(pages)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "content"))
    with open(os.path.join(out, "site.toml"), "w") as f:
        f.write('title = "Synthetic handbook"\n')
    for i in range(pages):
        with open(os.path.join(out, "content", f"r{i:05d}.md"), "w") as f:
            f.write(report(i, pages, rng))
    if theme:
        shutil.copytree(theme, os.path.join(out, "themes", "default"))

if __name__ == "__main__":
    main()
