#!/usr/bin/env python3
"""Writes tests/search/queries.tsv from the real content/: per language, queries a reader could
type for each page (its title, a heading, a phrase of its body), each with the page it must find.
Vietnamese queries alternate between written with marks and without (a phone with no Vietnamese
keyboard); Khmer ones are pieces cut from inside an unspaced run of the page's text. Run it again
when content/ changes a lot; the hand-written queries at the end stay."""
import pathlib, random, re, subprocess, tempfile, unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]
random.seed(25)

def strip_marks(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))

def khmer_clusters(run):
    out = []
    for i, c in enumerate(run):
        starts = 0x1780 <= ord(c) <= 0x17B3 and (i == 0 or run[i - 1] != "\u17d2")
        if starts or not out:
            out.append(c)
        else:
            out[-1] += c
    return out

def khmer_words_tool():
    """ICU's Khmer words of a line (khmer_words.cpp, built here with g++ and pkg-config)."""
    binary = pathlib.Path(tempfile.mkdtemp()) / "khmer_words"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "icu-uc", "icu-i18n"],
                           capture_output=True, text=True, check=True).stdout.split()
    subprocess.run(["g++", "-O1", str(ROOT / "tests/search/khmer_words.cpp"), "-o", str(binary)]
                   + flags, check=True)
    def words(run):
        out = subprocess.run([str(binary)], input=run + "\n", capture_output=True, text=True)
        return [w for w in out.stdout.strip("\n").split("\t") if w]
    return words

WORDS = khmer_words_tool()

def body_of(text):
    parts = text.split("---", 2)
    return parts[2] if len(parts) == 3 else text

def plain(line):
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return re.sub(r"[#*_>`|]", " ", line).strip()

rows = []
for path in sorted(ROOT.glob("content/*/*.md")):
    name = path.name
    if name.startswith("_index"):
        continue
    slug, lang = name[:-3].rsplit(".", 1)
    key = f"{path.parent.name}/{slug}"
    text = path.read_text(encoding="utf-8")
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', text, re.M).group(1)
    body = body_of(text)
    headings = [plain(h) for h in re.findall(r"^##+\s+(.*)$", body, re.M)]
    lines = [plain(l) for l in body.splitlines() if len(plain(l)) > 40 and not l.startswith("#")]
    picks = [title] + headings[:1]
    if lang == "km":
        runs = [r for l in lines for r in re.findall(r"[\u1780-\u17ff]{12,}", l)]
        # A word from inside an unspaced run (neither its first nor its last word).
        inner = [w for r in runs for w in WORDS(r)[1:-1] if len(khmer_clusters(w)) >= 3]
        picks += random.sample(inner, min(2, len(inner)))
    else:
        for line in random.sample(lines, min(1, len(lines))):
            words = line.split()
            start = random.randint(0, max(0, len(words) - 3))
            picks.append(" ".join(words[start:start + 3]))
    for i, query in enumerate(picks):
        query = re.sub(r"[“”\"()?:!.,;]", " ", query).strip()
        query = " ".join(query.split()[:6])
        if not query:
            continue
        if lang == "vi" and i % 2 == 1:
            query = strip_marks(query).lower()
        rows.append((lang, query, key))

HAND = [
    ("vi", "dac xa ai duoc", "guides/ai-duoc-xet-dac-xa"),
    ("vi", "tiền án", "guides/tu-ngu-can-biet"),
    ("vi", "tien an", "guides/tu-ngu-can-biet"),
    ("vi", "tù nhân", "guides/quy-trinh-dac-xa"),
    ("vi", "đối tượng đặc xá", "guides/ai-duoc-xet-dac-xa"),
    ("vi", "\"đặc xá\"", "guides/dac-xa-la-gi"),
    ("km", "លើកលែង", "guides/dac-xa-la-gi"),
    ("km", "ការលើកលែងទោស", "guides/dac-xa-la-gi"),
    ("en", "prisoner", "guides/quy-trinh-dac-xa"),
    ("en", "prior conviction", "guides/tu-ngu-can-biet"),
]
rows += HAND
out = ROOT / "tests/search/queries.tsv"
with out.open("w", encoding="utf-8") as f:
    f.write("# lang\tquery\tpage it must find (section/slug); made by make_queries.py from content/\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
for lang in ("vi", "en", "km"):
    print(lang, sum(1 for r in rows if r[0] == lang))
