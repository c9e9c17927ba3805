#!/usr/bin/env bash
# Load test of `annals serve` while an ingest writes into the same data folder.
#
#   bench/serve/run.sh            # 32 connections, 20 s per endpoint, ~100 MB synthetic ingest
#   BASELINE=1 bench/serve/run.sh # also measure every endpoint first with no ingest running
#
# Settings (environment): CONNS (32), THREADS (2), DURATION (20s), SYNTH_MB (100),
# CORPUS (../shared/corpus), KEEP=1 keeps the work folder. See bench/serve/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
SYNTH_MB=${SYNTH_MB:-100}
CORPUS=${CORPUS:-../shared/corpus}
BASELINE=${BASELINE:-0}

if [ ! -d "$CORPUS" ]; then
    echo "the reference corpus is not at $CORPUS (set CORPUS)" >&2
    exit 1
fi
if ! command -v wrk >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q wrk
fi

cargo build --release --quiet
BIN=$PWD/target/release/annals

WORK=$(mktemp -d "${TMPDIR:-/tmp}/annals-serve-bench.XXXXXX")
SERVER_PID=""
INGEST_PID=""
cleanup() {
    for pid in $INGEST_PID $SERVER_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP:-0}" = 1 ]; then
        echo "work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

DATA=$WORK/data
echo "== ingesting the reference corpus ($CORPUS)"
"$BIN" --data "$DATA" ingest --quiet "$CORPUS"

echo "== generating ~${SYNTH_MB} MB of synthetic sources from the corpus (in $WORK/synth, never kept)"
python3 - "$CORPUS" "$WORK/synth" "$SYNTH_MB" <<'PY'
import os, random, re, sys
corpus, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
paras = []
for name in sorted(os.listdir(corpus)):
    with open(os.path.join(corpus, name), encoding="utf-8", errors="replace") as f:
        paras += [p for p in re.split(r"\n\s*\n", f.read()) if len(p.strip()) > 40]
rng = random.Random(8)
target, written, n = mb << 20, 0, 0
def shift_year(m):
    return str(int(m.group(0)) + rng.randint(-3, 3))
while written < target:
    # Files of 1-2 MB: shuffled paragraphs, years moved a little, a unique marker, so that
    # every file is new content (no duplicates) that still reads like the corpus.
    size, chunks = rng.randint(1 << 20, 2 << 20), [f"Synthetic source {n} (bench marker zq{n:05d}).\n"]
    got = len(chunks[0])
    while got < size:
        p = re.sub(r"\b1[89]\d\d\b", shift_year, rng.choice(paras))
        chunks.append(p + "\n\n")
        got += len(p.encode()) + 2
    data = "".join(chunks)
    with open(os.path.join(out, f"synthetic-{n:04d}.txt"), "w", encoding="utf-8") as f:
        f.write(data)
    written += len(data.encode())
    n += 1
print(f"{n} files, {written / (1 << 20):.0f} MB")
PY

echo "== starting annals serve"
TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$BIN" --data "$DATA" serve --addr 127.0.0.1:0 --token "$TOKEN" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
ADDR=""
for _ in $(seq 1 300); do
    ADDR=$(sed -n 's|.*http://\([^/]*\)/.*|\1|p' "$WORK/serve.out" | head -1)
    [ -n "$ADDR" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "annals serve exited:" >&2
        cat "$WORK/serve.err" >&2
        exit 1
    fi
    sleep 0.2
done
[ -n "$ADDR" ] || { echo "annals serve did not start" >&2; exit 1; }
BASE="http://$ADDR"
curl -fsS "$BASE/api/status" >/dev/null
echo "serving at $BASE"

ENDPOINTS=(
    "search page|/search?q=lien+xo"
    "search API|/api/search?q=lien+xo"
    "timeline page|/timeline"
    "timeline API|/api/timeline"
    "ask page|/ask?q=When+did+Vietnam+join+the+CMEA%3F"
    "ask API|/api/ask?q=When+did+Vietnam+join+the+CMEA%3F"
)

ROWS=()
FAILED=0
# Runs wrk against every endpoint; $1 is the phase's label.
measure() {
    local phase=$1
    for e in "${ENDPOINTS[@]}"; do
        local name=${e%%|*} path=${e#*|}
        local code
        code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
        local out
        out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$BASE$path" 2>&1)
        local rps p50 p99 non2xx errors ingest
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' <<<"$out")
        errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
        ingest=no
        if [ -n "$INGEST_PID" ] && kill -0 "$INGEST_PID" 2>/dev/null; then ingest=yes; fi
        ROWS+=("$(printf '%-9s %-14s %10s %10s %10s %8s %7s %6s %7s' \
            "$phase" "$name" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "${errors:-0}" "$code" "$ingest")")
        echo "   $phase $name: ${rps:-?} req/s, p99 ${p99:-?}, non-2xx ${non2xx:-0}, socket errors ${errors:-0}, ingest running: $ingest"
        if [ "$code" != 200 ] || [ -n "$non2xx" ] || [ "${errors:-0}" != 0 ]; then
            FAILED=1
        fi
    done
}

if [ "$BASELINE" = 1 ]; then
    echo "== baseline: $CONNS connections, $DURATION per endpoint, no ingest"
    measure idle
fi

echo "== concurrent ingest of $WORK/synth into the served data folder"
"$BIN" --data "$DATA" ingest --quiet "$WORK/synth" >"$WORK/ingest.out" 2>"$WORK/ingest.err" &
INGEST_PID=$!
sleep 2
echo "== load: $CONNS connections, $THREADS threads, $DURATION per endpoint, while ingesting"
measure ingesting

INGEST_STATE="still running (stopped)"
if ! kill -0 "$INGEST_PID" 2>/dev/null; then
    if wait "$INGEST_PID"; then INGEST_STATE="finished"; else INGEST_STATE="FAILED"; FAILED=1; fi
    INGEST_PID=""
fi
DOCS=$(curl -s "$BASE/api/status" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["documents"], "documents, view generation", v["generation"])' 2>/dev/null || echo "?")

echo
echo "annals serve under load ($(nproc) CPU cores; wrk -t$THREADS -c$CONNS -d$DURATION --latency)"
printf '%-9s %-14s %10s %10s %10s %8s %7s %6s %7s\n' phase endpoint "req/s" p50 p99 non-2xx errors first ingest
for r in "${ROWS[@]}"; do echo "$r"; done
echo "ingest: $INGEST_STATE; the server now sees $DOCS"
tail -3 "$WORK/ingest.out" 2>/dev/null || true
if [ -s "$WORK/serve.err" ]; then
    echo "server stderr (last lines):"
    tail -5 "$WORK/serve.err"
fi
if [ "$FAILED" = 1 ]; then
    echo "FAILED: some answers were not 2xx, a socket error occurred, or the ingest failed" >&2
    exit 1
fi
