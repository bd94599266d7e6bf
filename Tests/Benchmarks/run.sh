#!/usr/bin/env bash
# imagelint benchmark: speed, memory and start-up over the synthetic corpus, against libyaml's floor.
#
#   Tests/Benchmarks/run.sh [--scale 1|10] [--runs N] [--jobs N] [--cache DIR] [--no-build] [--no-peers]
#
# See Tests/Benchmarks/README.md for what each row and target means. Exit status: 0 when every target
# passes, 1 when one fails, 2 when the benchmark itself could not run.
set -euo pipefail

scale=1
runs=5
jobs=""
cache=""
build=1
peers=1
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale="$2"; shift 2 ;;
        --scale=*) scale="${1#*=}"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --runs=*) runs="${1#*=}"; shift ;;
        --jobs) jobs="$2"; shift 2 ;;
        --jobs=*) jobs="${1#*=}"; shift ;;
        --cache) cache="$2"; shift 2 ;;
        --cache=*) cache="${1#*=}"; shift ;;
        --no-build) build=0; shift ;;
        --no-peers) peers=0; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
case "$scale" in 1|10) ;; *) echo "run.sh: --scale takes 1 or 10" >&2; exit 2 ;; esac
case "$runs" in ''|*[!0-9]*|0) echo "run.sh: --runs takes a positive number" >&2; exit 2 ;; esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
[ -n "$jobs" ] || jobs="$cores"

# --- tools -------------------------------------------------------------------------------------------
generator=""
g="$root/../shared/bench/gen_corpus.py"
[ -f "$g" ] && generator="$g"
[ -n "$generator" ] || { echo "run.sh: gen_corpus.py not found beside the clone ($root/../shared/bench)" >&2; exit 2; }

if [ ! -x /usr/bin/time ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "run.sh: installing GNU time" >&2
        apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
    fi
    [ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }
fi

[ -n "$cache" ] || cache="${XDG_CACHE_HOME:-$HOME/.cache}/imagelint-bench"
mkdir -p "$cache"
work="$(mktemp -d "${TMPDIR:-/tmp}/imagelint-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- corpus (cached: file i depends only on seed and i, so a corpus is reused while the generator is unchanged)
gen_hash="$(cksum < "$generator" | cut -d' ' -f1)"
corpus() { # corpus SCALE -> prints its directory
    local dir="$cache/x$1"
    if [ ! -f "$dir/.complete" ] || [ "$(cat "$dir/.complete")" != "$gen_hash" ]; then
        rm -rf "$dir"
        echo "run.sh: generating the ${1}x corpus in $dir" >&2
        python3 "$generator" "$dir" --scale "$1" >/dev/null
        echo "$gen_hash" > "$dir/.complete"
    fi
    echo "$dir"
}
c1="$(corpus 1)"
[ "$scale" = 10 ] && c10="$(corpus 10)"

# --- builds ------------------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
    echo "run.sh: swift build -c release" >&2
    (cd "$root" && swift build -c release >&2)
fi
release_bin=$(cd "$root" && swift build -c release --show-bin-path)
imagelint="$release_bin/imagelint"
[ -x "$imagelint" ] || { echo "run.sh: $imagelint missing (build it or drop --no-build)" >&2; exit 2; }
bench="$release_bin/imagelint-bench"   # built by the same `swift build -c release` (every product)
[ -x "$bench" ] || { echo "run.sh: $bench missing (build it or drop --no-build)" >&2; exit 2; }
floor="$work/libyaml_floor"
cc -O2 -o "$floor" "$here/libyaml_floor.c" -lyaml || { echo "run.sh: cannot build libyaml_floor.c (needs libyaml-dev)" >&2; exit 2; }

# --- measuring ---------------------------------------------------------------------------------------
# measure NAME FILES BYTES DIR CMD… : runs CMD in DIR $runs times (plus one warm-up), records median wall,
# median user+sys, largest peak RSS. With MEASURE_ONCE=1: one run, no warm-up (the slow peers).
rows=()
declare -A wall cpu rss
measure() {
    local name="$1" files="$2" bytes="$3" dir="$4"
    shift 4
    local t="$work/time" w=() c=() r=() i n="$runs"
    if [ "${MEASURE_ONCE:-0}" = 1 ]; then
        n=1
    else
        (cd "$dir" && "$@" >/dev/null 2>&1) || true   # warm the page cache
    fi
    pushd "$dir" >/dev/null
    for ((i = 0; i < n; i++)); do
        # Wall time: bash's microsecond clock around the command run directly, as a hook or a CI step runs it
        # (GNU time's %e has 10 ms steps, too coarse for start-up and for the 10x/1x ratio, and its own
        # process and a subshell would add 2-3 ms). CPU and peak RSS: a second run under GNU time.
        # The slow peers run once, under GNU time only.
        local t0="$EPOCHREALTIME" t1
        if [ "${MEASURE_ONCE:-0}" != 1 ]; then
            "$@" >/dev/null 2>"$work/stderr" || true
            t1="$EPOCHREALTIME"
        fi
        /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>"$work/stderr" || true
        read -r tw tu ts tm < <(tail -n 1 "$t")
        if [ "${MEASURE_ONCE:-0}" = 1 ]; then
            w+=("$tw")
        else
            w+=("$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.3f", b - a }')")
        fi
        c+=("$(awk -v u="$tu" -v s="$ts" 'BEGIN { printf "%.2f", u + s }')"); r+=("$tm")
    done
    popd >/dev/null
    wall[$name]="$(printf '%s\n' "${w[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    cpu[$name]="$(printf '%s\n' "${c[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    rss[$name]="$(printf '%s\n' "${r[@]}" | sort -g | tail -n 1)"
    rows+=("$name|$files|$bytes")
}

stat() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])' "$1/corpus_stats.json" "$2"; }
df1="$(stat "$c1" dockerfiles)"; dfb1="$(stat "$c1" dockerfile_bytes)"
mf1="$(stat "$c1" manifests)"; mfb1="$(stat "$c1" manifest_bytes)"
small="$c1/$(head -n 1 "$c1/dockerfiles.txt")"
smallb="$(wc -c < "$small")"

echo "run.sh: measuring ($runs runs each, --jobs $jobs, $cores cores)" >&2
measure "full 1x" $((df1 + mf1)) $((dfb1 + mfb1)) "$c1" "$imagelint" lint --jobs "$jobs" --format json dockerfiles manifests
measure "dockerfiles 1x" "$df1" "$dfb1" "$c1" "$imagelint" lint --jobs "$jobs" --format json dockerfiles
measure "manifests 1x" "$mf1" "$mfb1" "$c1" "$imagelint" lint --jobs "$jobs" --format json manifests
measure "libyaml floor 1x" "$mf1" "$mfb1" "$c1" "$floor" manifests.txt
# The front ends alone: imagelint-bench, one thread, CPU time, best of $runs, rows interleaved in one process
# (see README.md). Its lines `row=NAME key=value …` land in fe[NAME.key].
declare -A fe
fe_rows=()
front_ends() { # front_ends yaml|dockerfile LIST
    local out line word name
    out="$(cd "$c1" && "$bench" "$1" "$2" --runs "$runs")" || { echo "run.sh: imagelint-bench $1 failed" >&2; exit 2; }
    while read -r line; do
        name=""
        for word in $line; do
            if [ "${word%%=*}" = row ]; then name="${word#*=}"; fe_rows+=("$name"); else fe[$name.${word%%=*}]="${word#*=}"; fi
        done
    done <<<"$out"
}
front_ends yaml manifests.txt
front_ends dockerfile dockerfiles.txt
measure "start-up (1 Dockerfile)" 1 "$smallb" "$c1" "$imagelint" lint --format json "$small"
if [ "$scale" = 10 ]; then
    df10="$(stat "$c10" dockerfiles)"; dfb10="$(stat "$c10" dockerfile_bytes)"
    mf10="$(stat "$c10" manifests)"; mfb10="$(stat "$c10" manifest_bytes)"
    measure "full 10x" $((df10 + mf10)) $((dfb10 + mfb10)) "$c10" "$imagelint" lint --jobs "$jobs" --format json dockerfiles manifests
    measure "libyaml floor 10x" "$mf10" "$mfb10" "$c10" "$floor" manifests.txt
fi

# Peers, when installed: same files, only their image-tag checks.
if [ "$peers" = 1 ] && command -v hadolint >/dev/null 2>&1; then
    # hadolint has no "only these rules" switch: its configuration ignores every other rule it knows
    # (hadolint 2.x DL codes; ShellCheck findings inside RUN are switched off wholesale by ignoring SC*
    # codes as they appear, which costs nothing measurable).
    {
        printf 'ignored:\n'
        for code in DL1000 DL3000 DL3001 DL3002 DL3003 DL3004 DL3005 DL3008 DL3009 DL3010 DL3011 DL3012 \
            DL3013 DL3014 DL3015 DL3016 DL3018 DL3019 DL3020 DL3021 DL3022 DL3023 DL3024 DL3025 DL3026 DL3027 \
            DL3028 DL3029 DL3030 DL3032 DL3033 DL3034 DL3035 DL3036 DL3037 DL3038 DL3040 DL3041 DL3042 DL3043 \
            DL3044 DL3045 DL3046 DL3047 DL3048 DL3049 DL3050 DL3051 DL3052 DL3053 DL3054 DL3055 DL3056 DL3057 \
            DL3058 DL3059 DL3060 DL3061 DL3062 DL4000 DL4001 DL4003 DL4004 DL4005 DL4006 SC1091 SC2016 SC2028 \
            SC2046 SC2086 SC2164; do
            printf '  - %s\n' "$code"
        done
    } > "$work/hadolint.yaml"
    MEASURE_ONCE=1 measure "hadolint 1x (DL3006,DL3007)" "$df1" "$dfb1" "$c1" \
        bash -c 'xargs -a dockerfiles.txt hadolint --no-fail --no-color --config "$0"' "$work/hadolint.yaml"
fi
if [ "$peers" = 1 ] && command -v checkov >/dev/null 2>&1; then
    MEASURE_ONCE=1 measure "checkov 1x (CKV_K8S_14,43)" "$mf1" "$mfb1" "$c1" \
        checkov --quiet --compact --framework kubernetes --check CKV_K8S_14,CKV_K8S_43 -d manifests
fi

# --- determinism: --jobs 1 and --jobs 2 give byte-identical JSON -------------------------------------
(cd "$c1" && "$imagelint" lint --jobs 1 --format json dockerfiles manifests >"$work/j1.json" 2>/dev/null) || true
(cd "$c1" && "$imagelint" lint --jobs 2 --format json dockerfiles manifests >"$work/j2.json" 2>/dev/null) || true
if [ -s "$work/j1.json" ] && cmp -s "$work/j1.json" "$work/j2.json"; then deterministic=1; else deterministic=0; fi

# --- report ------------------------------------------------------------------------------------------
echo
echo "imagelint benchmark: $(uname -m), $cores cores, --jobs $jobs, median of $runs runs; libyaml $(pkg-config --modversion yaml-0.1 2>/dev/null || echo '?')"
printf '%-30s %9s %11s %9s %10s %8s\n' "case" "wall s" "user+sys s" "RSS MB" "files/s" "MB/s"
for row in "${rows[@]}"; do
    IFS='|' read -r name files bytes <<<"$row"
    awk -v n="$name" -v w="${wall[$name]}" -v c="${cpu[$name]}" -v r="${rss[$name]}" -v f="$files" -v b="$bytes" 'BEGIN {
        ww = (w > 0 ? w : 0.005)
        printf "%-30s %9.3f %11.2f %9.1f %10.0f %8.1f\n", n, w, c, r / 1024, f / ww, b / 1048576 / ww }'
done
echo

failed=0
check() { # check LABEL VALUE OP LIMIT UNIT [NOTE]
    local verdict
    verdict="$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { ok = (op == "<=" ? v <= l : v < l); print ok ? "PASS" : "FAIL" }')"
    [ "$verdict" = PASS ] || failed=1
    printf '%-4s  %-52s %8.3f %s %-8s %s\n' "$verdict" "$1" "$2" "$3" "$4 $5" "${6:-}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a * 1000 }'; }
mb() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1024 }'; }
echo "front ends 1x (imagelint-bench: one thread, reading included, CPU time, best of $runs)"
printf '%-30s %9s %11s %9s %10s\n' "row" "files" "CPU ms" "MB/s" "ratio"
for name in "${fe_rows[@]}"; do
    printf '%-30s %9s %11s %9s %10s\n' "$name" "${fe[$name.files]}" "${fe[$name.cpu_ms]}" "${fe[$name.mb_s]}" "${fe[$name.ratio]}"
done
echo "  (ratio: to the in-process libyaml row for yaml rows, to the read row for Dockerfile rows)"
echo
dockerfile_mb="$(awk -v b="${fe[lexer.bytes]}" 'BEGIN { printf "%.1f", b / 1000000 }')"

echo "targets"
check "full 1x wall" "${wall[full 1x]}" "<=" 0.5 s "($(ratio "${wall[full 1x]}" "${wall[libyaml floor 1x]}")x the libyaml floor)"
check "full 1x wall / libyaml floor wall" "$(ratio "${wall[full 1x]}" "${wall[libyaml floor 1x]}")" "<=" 1.5 x
check "full 1x peak RSS" "$(mb "${rss[full 1x]}")" "<=" 64 MB
check "start-up wall (one small Dockerfile)" "$(ms "${wall[start-up (1 Dockerfile)]}")" "<=" 15 ms
check "YAML part (FastYAML tree) CPU / libyaml CPU" "${fe[fastyaml.ratio]}" "<=" 1.5 x \
    "(${fe[fastyaml.cpu_ms]} ms vs ${fe[libyaml.cpu_ms]} ms in process; $(ratio "${fe[fastyaml.cpu_ms]}" \
    "$(ms "${cpu[libyaml floor 1x]}")")x the C floor's ${cpu[libyaml floor 1x]} s)"
check "Dockerfile lexer over $dockerfile_mb MB (CPU, reading included)" "${fe[lexer.cpu_ms]}" "<" 50 ms \
    "(${fe[lexer.extra_ms]} ms beyond reading the files)"
printf 'info  %-52s %8s x    (%s ms; %sx the C floor)\n' "manifest front end (YAML + extraction) / libyaml" \
    "${fe[manifest.ratio]}" "${fe[manifest.cpu_ms]}" "$(ratio "${fe[manifest.cpu_ms]}" "$(ms "${cpu[libyaml floor 1x]}")")"
printf 'info  %-52s %8s ms   (%s ms beyond reading the files)\n' "Dockerfile front end, $dockerfile_mb MB (reading included)" \
    "${fe[frontend.cpu_ms]}" "${fe[frontend.extra_ms]}"
if [ "$scale" = 10 ]; then
    check "full 10x wall / full 1x wall" "$(ratio "${wall[full 10x]}" "${wall[full 1x]}")" "<=" 10 x \
        "(${wall[full 10x]} s; $(ratio "${wall[full 10x]}" "${wall[libyaml floor 10x]}")x the libyaml floor)"
    check "full 10x peak RSS" "$(mb "${rss[full 10x]}")" "<=" 80 MB
fi
if [ "$deterministic" = 1 ]; then
    printf 'PASS  %-52s\n' "--jobs 1 and --jobs 2 JSON byte-identical"
else
    printf 'FAIL  %-52s\n' "--jobs 1 and --jobs 2 JSON byte-identical"
    failed=1
fi
for peer in "hadolint 1x (DL3006,DL3007)|dockerfiles 1x" "checkov 1x (CKV_K8S_14,43)|manifests 1x"; do
    IFS='|' read -r p ours <<<"$peer"
    if [ -n "${wall[$p]:-}" ]; then
        printf 'peer  %-52s %8s x slower than imagelint (%s s vs %s s)\n' "$p" \
            "$(ratio "${wall[$p]}" "${wall[$ours]}")" "${wall[$p]}" "${wall[$ours]}"
    else
        printf 'skip  %-52s (not installed, or --no-peers)\n' "$p"
    fi
done
exit "$failed"
