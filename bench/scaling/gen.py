#!/usr/bin/env python3
"""Pathological inputs for the linear-time checks of the extractors (issue 21), at a size.

usage: gen.py SHAPE N OUT
  table     N rows of a Markdown table of numbers (the quantity extractor's candidate loop)
  sentence  one sentence of N dates and numbers in vi/en/ru (quantity periods: every
            (quantity, timex) pair of a sentence)
  names     one paragraph of N names without a sentence end (entity overlaps)
"""
import sys

shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
parts = []
if shape == "table":
    parts.append("| Năm | Xuất khẩu (triệu rúp) | Nhập khẩu | Tỷ lệ |\n|---|---|---|---|\n")
    for i in range(n):
        parts.append(f"| {1950 + i % 70} | {100 + i % 900},{i % 10} | {1 + i % 9} {i % 1000:03} | {i % 100}% |\n")
elif shape == "sentence":
    for i in range(n):
        d, y = 1 + i % 28, 1950 + i % 70
        k = i % 3
        if k == 0:
            parts.append(f"ngày {d} tháng {1 + i % 12} năm {y} có {100 + i} người sang học, ")
        elif k == 1:
            parts.append(f"on {d} March {y} trade reached {10 + i}.5 million rubles, ")
        else:
            parts.append(f"{d} мая {y} года было поставлено {20 + i} тонн, ")
    parts.append("và hết.\n")
elif shape == "names":
    names = ["Liên Xô và Việt Nam", "Brezhnev", "Hồ Chí Minh", "Mỹ, Lào và Campuchia", "Nga",
             "Đảng Cộng sản Liên Xô", "Советский Союз", "Ле Зуан", "Moscow – Hà Nội", "Pháp"]
    for i in range(n):
        parts.append(names[i % len(names)] + " gặp ")
    parts.append("\n")
else:
    sys.exit(f"unknown shape {shape}")
with open(out, "w", encoding="utf-8") as f:
    f.write("".join(parts))
