#!/usr/bin/env bash
# Times `annals extract` (the whole pipeline, nothing stored) on the pathological shapes of
# bench/scaling/gen.py at three sizes each, for one or more annals binaries side by side
# (e.g. the current build and an older one): seconds and peak memory, "timeout" past LIMIT.
# usage: bench/scaling/run.sh [BIN...]   (default: target/release/annals)
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${LIMIT:-120}
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/release/annals)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %9s %10s' shape n bytes
for b in "${bins[@]}"; do printf ' | %-28s' "$(basename "$(dirname "$(dirname "$b")")")/$(basename "$b")"; done
echo
for spec in "table 10000 40000 100000" "sentence 1000 3000 10000" "names 25000 100000 400000"; do
    set -- $spec
    shape=$1; shift
    for n in "$@"; do
        f="$work/$shape-$n.txt"
        python3 bench/scaling/gen.py "$shape" "$n" "$f"
        printf '%-10s %9s %10s' "$shape" "$n" "$(stat -c %s "$f")"
        for b in "${bins[@]}"; do
            out=$( { /usr/bin/time -f '%e %M' timeout "$limit" "$b" extract --file "$f" >/dev/null; } 2>&1 | tail -1 ) || true
            if [[ "$out" =~ ^([0-9.]+)\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]%.*}" -lt "$limit" ]; then
                printf ' | %8ss %8s MB          ' "${BASH_REMATCH[1]}" "$(( BASH_REMATCH[2] / 1024 ))"
            else
                printf ' | %-28s' "timeout (>${limit} s)"
            fi
        done
        echo
    done
done
