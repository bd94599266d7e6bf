#!/usr/bin/env bash
# Lints the real-world corpus (../shared/corpus beside the repository) with the built debug binary
# (`swift build --show-bin-path`). Fails when imagelint crashes (an exit code other than 0 or 1) or takes over 300 s; prints the
# number of files, the findings by rule and the diagnostics (count and the most frequent messages).
#
# The corpus stores files flattened (`owner__repo__path__Dockerfile`); they are linked back under their
# original paths (SOURCES.tsv) so that file names mean what they mean in the wild (`Dockerfile`,
# `kustomization.yaml`, Helm `templates/`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The shared material lives beside the repository (`../shared`), or where IMAGELINT_SHARED says, as the
# tests find it. A clone elsewhere has none: then the corpus check says it skipped, as the tests do.
corpus="${IMAGELINT_SHARED:-$root/../shared}/corpus"
if [ ! -f "$corpus/SOURCES.tsv" ]; then
    echo "corpus: skipped: no corpus at $corpus (it lives beside the repository, in ../shared; IMAGELINT_SHARED points elsewhere)" >&2
    exit 0
fi
corpus=$(cd "$corpus" && pwd)

bin="$(swift build --show-bin-path)/imagelint"
[ -x "$bin" ] || swift build --product imagelint

work=$(mktemp -d "${TMPDIR:-/tmp}/imagelint-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
# Links each file under <repo>/<path in repo>; prints the files the walker would not pick by name (neither a
# Dockerfile's nor YAML), which are passed explicitly so that every corpus file is read exactly once.
python3 - "$corpus" "$tree" >"$work/extra" <<'PY'
import csv, os, sys
corpus, tree = sys.argv[1], sys.argv[2]
count = 0
for row in csv.DictReader(open(os.path.join(corpus, "SOURCES.tsv")), delimiter="\t"):
    source = os.path.join(corpus, row["path"])
    if not os.path.isfile(source):
        continue
    dest = os.path.join(row["repo"], row["path_in_repo"])
    os.makedirs(os.path.join(tree, os.path.dirname(dest)), exist_ok=True)
    os.symlink(source, os.path.join(tree, dest))
    count += 1
    name = os.path.basename(dest)
    lower = name.lower()
    dockerfile = not lower.endswith(".dockerignore") and (
        lower in ("dockerfile", "containerfile")
        or any(lower.startswith(b + ".") and len(lower) > len(b) + 1 for b in ("dockerfile", "containerfile"))
        or (lower.endswith(".dockerfile") and len(lower) > len(".dockerfile")))
    if not dockerfile and not name.endswith((".yaml", ".yml")):
        print(dest)
print(f"corpus: {count} files from {corpus}", file=sys.stderr)
PY
mapfile -t extra <"$work/extra"
echo "corpus: ${#extra[@]} of them named neither like a Dockerfile nor like YAML, passed explicitly"

status=0
started=$(date +%s)
(cd "$tree" && timeout 300 "$bin" lint --format json --fail-on never . "${extra[@]}") \
    >"$work/report.json" 2>"$work/stderr" || status=$?
elapsed=$(( $(date +%s) - started ))
echo "corpus: imagelint exited with $status after ${elapsed}s"
# CORPUS_REPORT=<file> keeps the JSON report, for reading the findings.
[ -z "${CORPUS_REPORT:-}" ] || cp "$work/report.json" "$CORPUS_REPORT"
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    tail -n 20 "$work/stderr" >&2
    if [ "$status" -eq 124 ]; then echo "corpus: timed out (300 s)" >&2; else echo "corpus: imagelint crashed" >&2; fi
    exit 1
fi

python3 - "$work/report.json" <<'PY'
import collections, json, re, sys
report = json.load(open(sys.argv[1]))
s = report["summary"]
print(f"files linted: {s['files']}  references: {s['references']}  findings: {s['findings']} "
      f"(error {s['error']}, warning {s['warning']}, info {s['info']})")
print("\nfindings by rule:")
for rule, n in collections.Counter(f["rule"] for f in report["findings"]).most_common():
    print(f"  {n:6d}  {rule}")
diagnostics = report.get("diagnostics", [])
print(f"\ndiagnostics: {len(diagnostics)} in {len({d['file'] for d in diagnostics})} files; most frequent:")
def shape(message):
    # Group messages that differ only in quoted text and numbers.
    return re.sub(r"\d+", "N", re.sub(r"`[^`]*`", "`…`", message))
for message, n in collections.Counter(shape(d["message"]) for d in diagnostics).most_common(15):
    print(f"  {n:6d}  {message[:150]}")
PY

# The golden: every finding and diagnostic, one line each, in report order. A change of any finding on the
# real-world corpus (a rewrite of a front end, a rule, the pipeline) shows here as a diff; RECORD_GOLDENS=1
# rewrites it after a change meant to alter findings.
golden="$root/Tests/Corpus/findings.golden"
python3 - "$work/report.json" >"$work/findings" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
def clean(s):
    return "".join(c if c.isprintable() else "\\u%04x" % ord(c) for c in s)
for f in report["findings"]:
    print(f"{clean(f['file'])}:{f['line']}:{f['column']}-{f['endLine']}:{f['endColumn']} {f['severity']} "
          f"{f['rule']} {clean(f['image'] or '-')}: {clean(f['message'])}")
for d in report["diagnostics"]:
    print(f"diagnostic {clean(d['file'])}:{d['line']}:{d['column']} {d['severity']}: {clean(d['message'])}")
PY
if [ -n "${RECORD_GOLDENS:-}" ]; then
    mkdir -p "$(dirname "$golden")"
    cp "$work/findings" "$golden"
    echo "corpus: recorded $(wc -l <"$golden") lines in ${golden#"$root"/}"
elif ! diff -u "$golden" "$work/findings" >"$work/golden.diff"; then
    head -n 60 "$work/golden.diff" >&2
    echo "corpus: findings differ from ${golden#"$root"/} ($(grep -c '^[-+][^-+]' "$work/golden.diff") lines);" \
        "RECORD_GOLDENS=1 .ci/corpus.sh records them when the change is intended" >&2
    exit 1
else
    echo "corpus: findings identical to ${golden#"$root"/} ($(wc -l <"$golden") lines)"
fi
exit 0
