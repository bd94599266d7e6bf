#!/usr/bin/env bash
# End-to-end test of action.yml, the composite GitHub Action, run locally.
#
# 1. Checks that action.yml is valid YAML describing a composite action with the documented inputs and
#    outputs, whose scripts read inputs from the environment only (no `${{ }}` pasted into a script).
# 2. Runs its `run:` steps in order the way a runner would: GITHUB_WORKSPACE, GITHUB_ACTION_PATH, a fresh
#    GITHUB_OUTPUT per step, GITHUB_STEP_SUMMARY, and `${{ inputs.* }}`, `${{ github.* }}` and
#    `${{ steps.*.outputs.* }}` substituted in `env:`; `uses:` steps (the build cache) are skipped and
#    later steps are skipped after a failure. It does so on temporary workspaces with a bad Dockerfile
#    and a bad manifest, and checks annotations, the SARIF 2.1.0 report, the outputs and the exit code
#    against fail-on.
#
# The action downloads the release binary of its version (or builds imagelint) unless given a binary; here it
# is given one so nothing is rebuilt: $IMAGELINT_BINARY, else the newer of the release and debug builds
# (`swift build [-c release] --show-bin-path`), else `swift build`. The download is checked against a local stand-in release
# (IMAGELINT_RELEASE_URL=file://…, IMAGELINT_RELEASE_CHECKSUMS) holding that binary: a verified archive is
# used, a wrong digest stops the action. The step summary's table of the findings past GitHub's 10 error and
# 10 warning annotations per step is checked on a workspace with 25 of each.
#
# Usage: .ci/action-e2e.sh          exit 0 when every check passed, non-zero otherwise
set -euo pipefail

started=$SECONDS
say() { printf 'action-e2e: %s\n' "$*"; }
failures=0
checks=0
check() { # DESCRIPTION COMMAND…: runs COMMAND, counts a failure when it fails
    local what=$1
    shift
    checks=$((checks + 1))
    if "$@"; then
        printf '  ok    %s\n' "$what"
    else
        printf '  FAIL  %s\n' "$what"
        failures=$((failures + 1))
        if [ -n "${r:-}" ]; then
            sed 's/^/        stdout| /' "$r/stdout" | head -n 40
            sed 's/^/        stderr| /' "$r/stderr" | head -n 20
        fi
    fi
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
action="$root/action.yml"
[ -f "$action" ] || { say "FAIL: no action.yml in $root"; exit 1; }
command -v python3 >/dev/null || { say "FAIL: python3 is required"; exit 1; }
python3 -c 'import yaml' 2>/dev/null || { say "FAIL: PyYAML is required (python3 -m pip install pyyaml)"; exit 1; }

binary=${IMAGELINT_BINARY:-}
if [ -z "$binary" ]; then
    # The newer of the two, so a stale release build does not hide a fresh debug one.
    # Where SwiftPM puts each configuration's products (swift build --show-bin-path), not a guessed .build path.
    for candidate in "$(cd "$root" && swift build -c release --show-bin-path)/imagelint" \
        "$(cd "$root" && swift build --show-bin-path)/imagelint"; do
        if [ -x "$candidate" ] && { [ -z "$binary" ] || [ "$candidate" -nt "$binary" ]; }; then binary=$candidate; fi
    done
fi
if [ -z "$binary" ]; then
    say "no built imagelint found; running swift build --product imagelint"
    (cd "$root" && swift build --product imagelint)
    binary="$(cd "$root" && swift build --show-bin-path)/imagelint"
fi
[ -x "$binary" ] || { say "FAIL: $binary is not executable"; exit 1; }
say "using $binary ($("$binary" --version))"

work=$(mktemp -d "${TMPDIR:-/tmp}/imagelint-action-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------
# The runner stand-in: python3 runner.py ACTION WORKSPACE RESULTDIR [input=value…]
# Writes RESULTDIR/{stdout,stderr,status,outputs.json,summary.md,steps.txt}.
runner="$work/runner.py"
cat >"$runner" <<'PY'
import json, os, re, subprocess, sys
import yaml

action_path, workspace, result = sys.argv[1], sys.argv[2], sys.argv[3]
given = dict(a.split("=", 1) for a in sys.argv[4:])
with open(action_path) as f:
    action = yaml.safe_load(f)
action_dir = os.path.dirname(os.path.abspath(action_path))
inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
for name, value in given.items():
    if name not in inputs:
        sys.exit(f"runner: unknown input {name}")
    inputs[name] = value.replace("\\n", "\n")
os.makedirs(result, exist_ok=True)
summary = os.path.join(result, "summary.md")
open(summary, "w").close()
step_outputs = {}

def substitute(text):
    def one(m):
        expr = m.group(1).strip()
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        if expr == "github.action_path":
            return action_dir
        if expr == "github.workspace":
            return workspace
        m2 = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if m2:
            return step_outputs.get(m2.group(1), {}).get(m2.group(2), "")
        raise SystemExit(f"runner: unsupported expression ${{{{ {expr} }}}}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

def read_outputs(path):
    outputs, lines, i = {}, open(path).read().split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            i += 1
            value = []
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            outputs[key] = "\n".join(value)
        elif "=" in line:
            key, value = line.split("=", 1)
            outputs[key] = value
        i += 1
    return outputs

status, failed, log = 0, False, []
with open(os.path.join(result, "stdout"), "w") as out, open(os.path.join(result, "stderr"), "w") as err:
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{n}")
        if "uses" in step:
            log.append(f"{sid}: skipped (uses {step['uses']})")
            continue
        if "if" in step:
            raise SystemExit(f"runner: step {sid}: `if` on a run step is not emulated")
        if failed:
            log.append(f"{sid}: skipped after a failure")
            continue
        output_file = os.path.join(result, f"output-{sid}")
        open(output_file, "w").close()
        env = dict(os.environ)
        env.update({
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace,
            "GITHUB_ACTION_PATH": action_dir, "GITHUB_OUTPUT": output_file,
            "GITHUB_STEP_SUMMARY": summary, "RUNNER_TEMP": os.path.join(result, "tmp"),
        })
        os.makedirs(env["RUNNER_TEMP"], exist_ok=True)
        for key, value in (step.get("env") or {}).items():
            env[key] = substitute(value)
        out.flush(); err.flush()
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, timeout=900,
        ).returncode
        step_outputs[sid] = read_outputs(output_file)
        log.append(f"{sid}: exit {code}, outputs {sorted(step_outputs[sid])}")
        if code != 0:
            status, failed = code, True

action_outputs = {name: substitute(spec["value"]) for name, spec in action.get("outputs", {}).items()}
with open(os.path.join(result, "outputs.json"), "w") as f:
    json.dump(action_outputs, f, indent=2, sort_keys=True)
with open(os.path.join(result, "steps.txt"), "w") as f:
    f.write("\n".join(log) + "\n")
with open(os.path.join(result, "status"), "w") as f:
    f.write(f"{status}\n")
PY

# ---------------------------------------------------------------------------------------------------
say "1. action.yml is a composite action with the documented inputs and outputs"
python3 - "$action" <<'PY' && static=0 || static=$?
import re, sys, yaml
with open(sys.argv[1]) as f:
    a = yaml.safe_load(f)
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)
need(isinstance(a, dict), "top level is a mapping")
for key in ("name", "description", "inputs", "outputs", "runs"):
    need(key in a, f"has `{key}`")
documented = {"paths": ".", "format": "github", "fail-on": "error", "config": "", "sarif-file": "", "args": "", "binary": ""}
for name, default in documented.items():
    spec = a.get("inputs", {}).get(name)
    need(isinstance(spec, dict) and spec.get("description"), f"input `{name}` is documented")
    need(isinstance(spec, dict) and str(spec.get("default", "")) == default, f"input `{name}` defaults to {default!r}")
    need(isinstance(spec, dict) and spec.get("required", False) is False, f"input `{name}` is optional")
for name in ("exit-code", "sarif-file", "binary", "binary-source"):
    spec = a.get("outputs", {}).get(name)
    need(isinstance(spec, dict) and "${{ steps." in str(spec.get("value", "")), f"output `{name}` comes from a step")
runs = a.get("runs", {})
need(runs.get("using") == "composite", "runs.using is composite")
steps = runs.get("steps", [])
ids = {s.get("id") for s in steps}
uses = [s["uses"] for s in steps if "uses" in s]
need(any(u.startswith("actions/cache/restore@") for u in uses), "restores the build with actions/cache/restore")
saves = [st for st in steps if str(st.get("uses", "")).startswith("actions/cache/save@")]
need(len(saves) == 1 and "always()" in str(saves[0].get("if", "")), "saves the build with actions/cache/save, if: always()")
need(bool(saves) and steps.index(saves[0]) > max(i for i, st in enumerate(steps) if st.get("id") == "lint"),
     "the cache is saved after the lint step")
for s in steps:
    if "run" in s:
        need(s.get("shell") == "bash", f"step `{s.get('name')}` declares shell: bash")
        need("${{" not in s["run"], f"step `{s.get('name')}` pastes no expression into its script")
    text = yaml.safe_dump(s)
    for ref in re.findall(r"inputs\.([\w-]+)", text):
        need(ref in a.get("inputs", {}), f"step `{s.get('name')}` uses a declared input ({ref})")
    for ref in re.findall(r"steps\.([\w-]+)\.outputs", text):
        need(ref in ids, f"step `{s.get('name')}` refers to an existing step ({ref})")
for spec in a.get("outputs", {}).values():
    for ref in re.findall(r"steps\.([\w-]+)\.outputs", str(spec.get("value", ""))):
        need(ref in ids, f"output refers to an existing step ({ref})")
for p in problems:
    print(f"  FAIL  {p}")
print(f"  {'ok   ' if not problems else 'FAIL '} action.yml: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
checks=$((checks + 1))
[ "$static" -eq 0 ] || failures=$((failures + 1))

# ---------------------------------------------------------------------------------------------------
digest=$(printf '%064d' 0 | tr 0 b)
bad_workspace() { # DIR: a bad Dockerfile and a bad manifest
    mkdir -p "$1/deploy"
    printf 'FROM nginx:latest\nRUN nginx -t\n' >"$1/Dockerfile"
    cat >"$1/deploy/app.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: cache
          image: redis:latest
YAML
}
clean_workspace() { # DIR: the same, pinned by digest
    mkdir -p "$1/deploy"
    printf 'FROM nginx:1.25.3@sha256:%s\nRUN nginx -t\n' "$digest" >"$1/Dockerfile"
    cat >"$1/deploy/app.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: cache
          image: redis:7.2.4@sha256:$digest
YAML
}

# run_action NAME WORKSPACE [input=value…]: runs the action; results in $work/NAME.
run_action() {
    local name=$1 ws=$2 t0=$SECONDS
    shift 2
    python3 "$runner" "$action" "$ws" "$work/$name" "$@"
    r="$work/$name"
    status=$(cat "$r/status")
    say "   ran in $((SECONDS - t0))s, exit $status; steps: $(paste -sd';' "$r/steps.txt")"
}
output() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "<missing>"))' "$r/outputs.json" "$1"; }
stdout_has() { grep -qE -- "$1" "$r/stdout"; }
stdout_lacks() { ! grep -qE -- "$1" "$r/stdout"; }
stderr_has() { grep -qE -- "$1" "$r/stderr"; }

say "2. defaults plus sarif-file, on a bad Dockerfile and a bad manifest (binary from IMAGELINT_BINARY)"
ws="$work/ws-bad"
bad_workspace "$ws"
IMAGELINT_BINARY=$binary run_action defaults "$ws" sarif-file=reports/imagelint.sarif
check "step fails with exit 1 (findings at error, fail-on error)" test "$status" = 1
check "output exit-code is 1" test "$(output exit-code)" = 1
check "output sarif-file is the absolute path" test "$(output sarif-file)" = "$ws/reports/imagelint.sarif"
check "output binary is the given binary" test "$(output binary)" = "$binary"
check "annotation for the Dockerfile" stdout_has '^::error file=Dockerfile,line=1,col=6,.*title=imagelint latest-tag::'
check "annotation for the manifest" stdout_has '^::error file=deploy/app\.yaml,line=10,col=18,.*title=imagelint latest-tag::'
check "summary line on stderr" stderr_has '[0-9]+ (finding|error|problem)'
check "step summary written" grep -q '^### imagelint' "$r/summary.md"
sarif_ok() {
    python3 - "$ws/reports/imagelint.sarif" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0", s["version"]
assert "sarif-2.1.0" in s.get("$schema", ""), s.get("$schema")
run = s["runs"][0]
assert run["tool"]["driver"]["name"] == "imagelint"
hits = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]}
for want in (("latest-tag", "Dockerfile"), ("latest-tag", "deploy/app.yaml")):
    assert want in hits, f"{want} not in {sorted(hits)}"
levels = {r["level"] for r in run["results"] if r["ruleId"] == "latest-tag"}
assert levels == {"error"}, levels
PY
}
check "SARIF 2.1.0 report with both latest-tag results" sarif_ok

say "3. fail-on never: same findings, the step passes"
run_action never "$ws" binary="$binary" fail-on=never
check "step passes" test "$status" = 0
check "output exit-code is 0" test "$(output exit-code)" = 0
check "output sarif-file is empty without sarif-file" test "$(output sarif-file)" = ""
check "annotations still emitted" stdout_has '^::error file=Dockerfile,'

say "4. warnings only: pass with fail-on error, fail with fail-on warning"
wsw="$work/ws-warn"
mkdir -p "$wsw"
printf 'FROM python:3.12\n' >"$wsw/Dockerfile"
run_action warn-default "$wsw" binary="$binary"
check "fail-on error: step passes" test "$status" = 0
check "fail-on error: warning annotation emitted" stdout_has '^::warning file=Dockerfile,line=1'
run_action warn-strict "$wsw" binary="$binary" fail-on=warning
check "fail-on warning: step fails with exit 1" test "$status" = 1
check "fail-on warning: output exit-code is 1" test "$(output exit-code)" = 1

say "5. a clean workspace passes without annotations"
wsc="$work/ws-clean"
clean_workspace "$wsc"
run_action clean "$wsc" binary="$binary" sarif-file=out/clean.sarif
check "step passes" test "$status" = 0
check "no error annotation" stdout_lacks '^::error'
check "SARIF written with no results" python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["runs"][0]["results"] == []' "$wsc/out/clean.sarif"

say "6. paths one per line (with a space), args and config"
wsp="$work/ws-paths"
bad_workspace "$wsp"
mkdir -p "$wsp/with space"
printf 'FROM alpine:latest\nFROM python:3.12 AS py\n' >"$wsp/with space/Dockerfile"
printf 'rules:\n  floating-tag: "off"\n' >"$wsp/policy.yml"
run_action paths "$wsp" binary="$binary" paths='Dockerfile\nwith space/Dockerfile\n' \
    args='--rule unpinned-base=off' config=policy.yml format=text
check "step fails on the two Dockerfiles" test "$status" = 1
check "text format on stdout names the path with a space" stdout_has '^with space/Dockerfile:1:6'
check "the manifest was not linted" stdout_lacks 'deploy/app\.yaml'
check "--rule unpinned-base=off from args applied" stdout_lacks 'unpinned-base'
check "floating-tag off from the config input applied" stdout_lacks 'floating-tag'

say "7. unusable configuration and a missing binary"
run_action badconfig "$ws" binary="$binary" config=missing.yml
check "missing config: exit 2" test "$status" = 2
check "missing config: output exit-code is 2" test "$(output exit-code)" = 2
check "missing config: error annotation explains the exit code" stdout_has '^::error title=imagelint::imagelint exited 2'
run_action nobinary "$ws" binary=/nonexistent/imagelint
check "missing binary: the build step fails" test "$status" = 2
check "missing binary: error annotation" stdout_has "^::error title=imagelint::binary '/nonexistent/imagelint' is not an executable"
check "missing binary: lint step skipped" grep -q '^lint: skipped after a failure' "$r/steps.txt"

say "8. the release binary: downloaded, verified against the committed digest, used"
version=$(sed -n 's/^    public static let version = "\(.*\)"$/\1/p' "$root/Sources/ImagelintCore/Version.swift")
asset="imagelint-$version-linux-x86_64.tar.gz"
release="$work/release"
mkdir -p "$release/pack/imagelint-$version-linux-x86_64"
cp "$binary" "$release/pack/imagelint-$version-linux-x86_64/imagelint"
tar -czf "$release/$asset" -C "$release/pack" "imagelint-$version-linux-x86_64"
(cd "$release" && sha256sum "$asset" >"$release/good.sha256")
printf '# a digest that is not the archive'"'"'s\n%064d  %s\n' 0 "$asset" >"$release/bad.sha256"
check "the committed checksum file exists" test -f "$root/Scripts/release-checksums.sha256"
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    IMAGELINT_RELEASE_URL="file://$release" IMAGELINT_RELEASE_CHECKSUMS="$release/good.sha256" \
        run_action download "$ws"
    check "step fails with exit 1 on the bad workspace" test "$status" = 1
    check "output binary-source is release" test "$(output binary-source)" = release
    check "the binary is the extracted release" bash -c "case '$(output binary)' in '$work/download/tmp/imagelint-$version/imagelint-$version-linux-x86_64/imagelint') ;; *) exit 1 ;; esac"
    check "the log says the digest was verified" stdout_has "SHA-256 [0-9a-f]{64} verified"
    check "annotation from the downloaded binary" stdout_has '^::error file=Dockerfile,line=1,col=6,'
    IMAGELINT_RELEASE_URL="file://$release" IMAGELINT_RELEASE_CHECKSUMS="$release/bad.sha256" \
        run_action tampered "$ws"
    check "a wrong digest stops the action with exit 2" test "$status" = 2
    check "a wrong digest: error annotation" stdout_has "^::error title=imagelint::$asset has SHA-256 [0-9a-f]{64}, not 0{64}"
    check "a wrong digest: nothing is built or linted" grep -q '^build: skipped after a failure' "$r/steps.txt"
else
    printf '  SKIPPED  the release download (release binaries are linux-x86_64; this is %s)\n' "$(uname -s)-$(uname -m)"
fi

say "9. past GitHub's 10 error and 10 warning annotations, the rest goes to the step summary as a table"
wsm="$work/ws-many"
mkdir -p "$wsm"
for i in $(seq 1 25); do printf 'FROM nginx:latest\n'; done >"$wsm/Dockerfile"
run_action many "$wsm" binary="$binary"
check "step fails with exit 1" test "$status" = 1
check "25 error and 25 warning annotations on stdout" test "$(grep -c '^::error ' "$r/stdout"):$(grep -c '^::warning ' "$r/stdout")" = 25:25
check "the summary names the limit and counts the rest" grep -q '^GitHub annotates at most 10 errors and 10 warnings per step; the other 30 findings:$' "$r/summary.md"
check "30 table rows, the 11th error first" test "$(grep -c '^| `Dockerfile:' "$r/summary.md"):$(grep -m1 '^| `Dockerfile:' "$r/summary.md")" \
    = '30:| `Dockerfile:11:6` | error | `latest-tag` | image `nginx:latest` uses the `latest` tag, which moves with every push; pin a release tag |'
run_action few "$ws" binary="$binary"
check "no table when every finding is annotated" bash -c "! grep -q 'GitHub annotates' '$r/summary.md'"

echo
if [ "$failures" -ne 0 ]; then
    say "FAIL: $failures of $checks checks failed ($((SECONDS - started))s)"
    exit 1
fi
say "OK: $checks checks passed in $((SECONDS - started))s"
