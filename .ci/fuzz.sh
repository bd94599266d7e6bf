#!/usr/bin/env bash
# Builds the libFuzzer targets (Tests/Fuzz/build.sh), replays every saved crasher, then fuzzes each target
# briefly from its seeds and from structure-aware seeds (Tests/Fuzz/structured-seeds.py: aliases across
# documents and lists, deep flow nesting, tags, ARG/ENV chains, long lines), which byte mutations of the
# corpus files do not reach. Fails on any crash, leak, timeout (> 5 s per input) or use of more than 2 GiB.
# Total: about two minutes. FUZZ_SECONDS sets the time per target (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "$(uname -s)" != Linux ]; then
    echo "fuzz: skipped (libFuzzer ships with the Swift toolchain on Linux only)"
    exit 0
fi

seconds=${FUZZ_SECONDS:-25}
targets=(reference dockerfile yaml)
out="$root/.build-fuzz"
Tests/Fuzz/build.sh "${targets[@]}"

status=0
for t in "${targets[@]}"; do
    bin="$out/fuzz-$t"
    crashers=(Tests/Fuzz/$t/crashers/*)
    if [ -e "${crashers[0]}" ]; then
        echo "==> fuzz-$t: replaying ${#crashers[@]} crasher(s)"
        if ! "$bin" -timeout=5 -rss_limit_mb=2048 "${crashers[@]}" >"$out/replay-$t.log" 2>&1; then
            tail -n 30 "$out/replay-$t.log"
            echo "fuzz-$t: a saved crasher fails again" >&2
            status=1
        fi
    fi

    echo "==> fuzz-$t: ${seconds}s from Tests/Fuzz/$t/seeds and structure-aware seeds"
    corpus="$out/ci-corpus/$t"
    artifacts="$out/ci-artifacts/$t"
    structured="$out/structured/$t"
    rm -rf "$corpus" "$artifacts" "$structured"
    mkdir -p "$corpus" "$artifacts"
    python3 Tests/Fuzz/structured-seeds.py "$t" "$structured"
    # Every structured seed is read whole (max_len at least the largest of them).
    if "$bin" -timeout=5 -rss_limit_mb=2048 -max_total_time="$seconds" -print_final_stats=1 -max_len=131072 \
        -artifact_prefix="$artifacts/" "$corpus" "Tests/Fuzz/$t/seeds" "$structured" >"$out/ci-$t.log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+DONE' "$out/ci-$t.log" | tail -n 1 || true
    else
        tail -n 40 "$out/ci-$t.log"
        echo "fuzz-$t: failed; the input is in $artifacts/ (copy it to Tests/Fuzz/$t/crashers/, fix, add a test)" >&2
        status=1
    fi
done
exit $status
