"""Compares annals's time extractor with dateparser.search_dates on the reference corpus.

Both systems read the same paragraphs (annals's layout repair gives their byte spans), and
both outputs are scored by shared/eval/score.py on the dev gold (timex task, passages only).
dateparser returns datetimes without a granularity, so the granularity is read off the
matched text (a day number → day, a month word → month, else year): the reading most
favourable to it. Throughput is bytes per second of extraction, in process for both (annals:
examples/time_throughput, the extractor alone and with reading; dateparser: search_dates calls).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MONTH_WORDS = re.compile(
    r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|tháng|янв|фев|мар|апр|мая|май|июн|июл|авг|сен|окт|ноя|дек"
)
DAY = re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])(?!\d)")
NUMERIC_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def granular(text, dt):
    """ISO value of dt at the granularity the matched text supports."""
    if NUMERIC_DATE.search(text):
        return dt.strftime("%Y-%m-%d")
    has_month = MONTH_WORDS.search(text)
    if has_month:
        rest = MONTH_WORDS.sub(" ", text)
        rest = re.sub(r"\d{4}", " ", rest)
        return dt.strftime("%Y-%m-%d") if DAY.search(rest) else dt.strftime("%Y-%m")
    return dt.strftime("%Y")


def paragraphs(annals, path):
    out = subprocess.run([annals, "extract", "--file", str(path), "--paragraphs"],
                         check=True, capture_output=True, text=True).stdout
    return [r for r in map(json.loads, out.splitlines()) if r["kind"] == "paragraph"]


def score(gold, export):
    g = tempfile.mkdtemp()
    try:
        for name in ("passages.jsonl", "timex.jsonl"):
            shutil.copy(Path(gold) / name, g)
        score_py = Path(gold).parent / "score.py"
        out = subprocess.run([sys.executable, str(score_py), "--gold", g, "--export", export],
                             check=True, capture_output=True, text=True).stdout
        return next(l for l in out.splitlines() if l.startswith("timex:"))
    finally:
        shutil.rmtree(g)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--annals", required=True)
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--gold", default="../shared/eval/gold")
    ap.add_argument("--throughput", default="target/release/examples/time_throughput")
    ap.add_argument("--rounds", type=int, default=20, help="annals timing rounds")
    args = ap.parse_args()
    from dateparser.search import search_dates

    files = sorted(p for p in Path(args.corpus).iterdir() if p.is_file())
    work = tempfile.mkdtemp()
    try:
        # dateparser, paragraph by paragraph.
        records, dp_bytes, dp_secs = [], 0, 0.0
        for path in files:
            raw = path.read_bytes()
            for p in paragraphs(args.annals, path):
                text = raw[p["start"]:p["end"]].decode("utf-8")
                dp_bytes += p["end"] - p["start"]
                t = time.perf_counter()
                found = search_dates(text, languages=["en", "vi", "ru"]) or []
                dp_secs += time.perf_counter() - t
                cursor = 0
                for s, dt in found:
                    at = text.find(s, cursor)
                    if at < 0:
                        continue
                    cursor = at + len(s)
                    start = p["start"] + len(text[:at].encode())
                    end = start + len(s.encode())
                    v = granular(s, dt)
                    records.append({"kind": "timex", "doc": path.name, "start": start, "end": end,
                                    "text": s, "value_start": v, "value_end": v})
        dp_export = os.path.join(work, "dateparser.jsonl")
        with open(dp_export, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

        # annals: ingest, export, score; time the extractor over the same files.
        data = os.path.join(work, "data")
        subprocess.run([args.annals, "--data", data, "ingest", "--quiet", args.corpus], check=True,
                       capture_output=True)
        an_export = os.path.join(work, "annals.jsonl")
        with open(an_export, "w", encoding="utf-8") as f:
            subprocess.run([args.annals, "--data", data, "export"], check=True, stdout=f)
        tp = json.loads(subprocess.run([args.throughput, str(args.rounds)] + [str(p) for p in files],
                                       check=True, capture_output=True, text=True).stdout)

        dp_line, an_line = score(args.gold, dp_export), score(args.gold, an_export)
        dp_mbs = dp_bytes / 1e6 / dp_secs
        print(f"dateparser {dp_line}")
        print(f"annals     {an_line}")
        print(f"dateparser search_dates: {dp_bytes / 1e6:.2f} MB of paragraphs in {dp_secs:.2f} s = {dp_mbs:.3f} MB/s")
        print(f"annals time extractor alone: {tp['extractor_mb_s']:.1f} MB/s "
              f"({tp['expressions']} expressions per round); with reading (decode, layout, sentences): "
              f"{tp['read_and_extract_mb_s']:.1f} MB/s")
        print(f"throughput ratio annals/dateparser: {tp['extractor_mb_s'] / dp_mbs:.0f}x (extractor alone), "
              f"{tp['read_and_extract_mb_s'] / dp_mbs:.0f}x (with reading)")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
