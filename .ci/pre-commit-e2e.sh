#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit.
#
# Makes a throwaway git repository whose .pre-commit-config.yaml points at this clone (repo: its path,
# rev: its HEAD commit) and checks that:
#   0. the toolchain-free `imagelint-system` hook (the `imagelint` on PATH: $IMAGELINT_BINARY, else the newer
#      of the release and debug builds, from `swift build [-c release] --show-bin-path`) fails on `FROM nginx:latest` with the finding
#      and passes once it is pinned, and that its FIRST run on a fresh PRE_COMMIT_HOME takes under 5 s
#      (nothing is built);
#   1. `pre-commit run --all-files` fails on `FROM nginx:latest` and prints the `latest-tag` finding;
#   2. it passes once the Dockerfile pins `nginx:1.25.3@sha256:…`, while a non-matching file holding the
#      same bad line (notes.txt) and a Dockerfile.dockerignore are not handed to the hook;
#   3. the variants split the work: `imagelint-dockerfile` passes on the fixed Dockerfile while
#      `imagelint-manifests` fails on a manifest with `redis:latest`, and a repository-root
#      .imagelint.yml is honoured (it turns `latest-tag` off for one run).
#
# pre-commit clones this repository at HEAD, so only COMMITTED content is tested. Its cache lives in a
# temporary PRE_COMMIT_HOME (hermetic): the first hook run builds the package with `swift build -c release`
# inside it, which takes several minutes on 2 cores. Set PRE_COMMIT_E2E_HOME to a directory to keep that
# cache between runs (not hermetic; for iterating locally).
#
#   0b. the `imagelint-docker` hook, when $IMAGELINT_OCI_ARCHIVE names the release's OCI archive (else
#      dist/imagelint-VERSION-oci.tar) and buildah is installed: there is no Docker daemon here, so a stand-in
#      `docker` on PATH runs pre-commit's `docker run --rm -u U:G -v CWD:/src:rw,Z --workdir /src IMAGE ARGS…`
#      with buildah on that image (loaded under the hook's image name, entrypoint from its configuration).
#      What is checked is the hook's definition and the image: the entry names the image of this version, the
#      image lints the files pre-commit passes from /src. Without the archive or buildah it is SKIPPED (a
#      failure with CI=true).
#
# Usage: .ci/pre-commit-e2e.sh          exit 0 when every check passed, non-zero otherwise
#        PRE_COMMIT_E2E_SYSTEM_ONLY=1 .ci/pre-commit-e2e.sh      only checks 0 and 0b (seconds, no build)
set -euo pipefail

started=$SECONDS
say() { printf 'pre-commit-e2e: %s\n' "$*"; }
fail() {
    printf 'pre-commit-e2e: FAIL: %s\n' "$*" >&2
    exit 1
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
[ -f "$root/.pre-commit-hooks.yaml" ] || fail "no .pre-commit-hooks.yaml in $root"
command -v git >/dev/null || fail "git is required"
[ -n "${PRE_COMMIT_E2E_SYSTEM_ONLY:-}" ] || command -v swift >/dev/null \
    || fail "swift is required (pre-commit's swift language runs swift build)"

binary=${IMAGELINT_BINARY:-}
if [ -z "$binary" ]; then
    # Where SwiftPM puts each configuration's products (swift build --show-bin-path), not a guessed .build path.
    for candidate in "$(cd "$root" && swift build -c release --show-bin-path)/imagelint" \
        "$(cd "$root" && swift build --show-bin-path)/imagelint"; do
        if [ -x "$candidate" ] && { [ -z "$binary" ] || [ "$candidate" -nt "$binary" ]; }; then binary=$candidate; fi
    done
fi
[ -n "$binary" ] && [ -x "$binary" ] || fail "no imagelint binary for the system hook (swift build, or set IMAGELINT_BINARY)"

if ! command -v pre-commit >/dev/null 2>&1; then
    say "installing pre-commit from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check pre-commit >/dev/null \
        || fail "could not install pre-commit (python3 -m pip install pre-commit)"
    hash -r
    command -v pre-commit >/dev/null || fail "pre-commit installed but not on PATH"
fi
say "$(pre-commit --version)"

rev=$(git -C "$root" rev-parse HEAD) || fail "$root is not a git checkout"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=normal)" ]; then
    say "NOTE: the working tree of $root has uncommitted changes;"
    say "      pre-commit clones commit $rev, so those changes are NOT part of this test. Commit them first."
fi
git -C "$root" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null \
    || fail ".pre-commit-hooks.yaml is not committed at $rev (pre-commit only sees committed files)"

work=$(mktemp -d "${TMPDIR:-/tmp}/imagelint-pre-commit-e2e.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${PRE_COMMIT_E2E_HOME:-}" ]; then
    mkdir -p "$PRE_COMMIT_E2E_HOME"
    export PRE_COMMIT_HOME="$PRE_COMMIT_E2E_HOME"
    say "reusing the pre-commit cache in $PRE_COMMIT_HOME (not hermetic)"
else
    export PRE_COMMIT_HOME="$work/pre-commit-home"
fi
# The hooks' output is checked as plain text; stray SKIP settings would hide hooks.
export PRE_COMMIT_COLOR=never
unset SKIP PRE_COMMIT_ALLOW_NO_CONFIG
# Commits are never made; identity only keeps git quiet. The machine's own git configuration stays in force
# (it may map github.com to local mirrors, which SwiftPM needs to fetch swift-argument-parser).
export GIT_AUTHOR_NAME="imagelint e2e" GIT_AUTHOR_EMAIL="e2e@imagelint.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

repo="$work/repo"
mkdir -p "$repo"
cd "$repo"
git init --quiet

write_config() { # hook ids…
    {
        echo "repos:"
        echo "  - repo: $root"
        echo "    rev: $rev"
        echo "    hooks:"
        for id in "$@"; do echo "      - id: $id"; done
    } >.pre-commit-config.yaml
}

# run_pre_commit EXPECTED_STATUS LABEL: runs `pre-commit run --all-files`, prints its output and timing,
# and fails unless its exit status is EXPECTED_STATUS (0 or "nonzero").
out="$work/out.txt"
run_pre_commit() {
    local expected=$1 label=$2 t0=$SECONDS status=0
    git add -A
    say "run: $label"
    pre-commit run --all-files >"$out" 2>&1 || status=$?
    sed 's/^/    | /' "$out"
    say "     exit $status after $((SECONDS - t0))s"
    if [ "$expected" = 0 ] && [ "$status" -ne 0 ]; then fail "$label: expected pre-commit to pass, it exited $status"; fi
    if [ "$expected" = nonzero ] && [ "$status" -eq 0 ]; then fail "$label: expected pre-commit to fail, it passed"; fi
    if [ "$status" -ne 0 ] && grep -q "An unexpected error has occurred\|An error has occurred" "$out"; then
        [ -f "$PRE_COMMIT_HOME/pre-commit.log" ] && sed 's/^/    log| /' "$PRE_COMMIT_HOME/pre-commit.log" | tail -n 60
        fail "$label: pre-commit itself failed (see above), not the hook"
    fi
}
expect_output() { grep -qE -- "$1" "$out" || fail "expected output matching /$1/"; }
reject_output() { ! grep -qE -- "$1" "$out" || fail "unexpected output matching /$1/"; }

printf 'FROM nginx:latest\nRUN nginx -t\n' >Dockerfile
printf '# demo\n' >README.md
mkdir -p services
printf 'FROM alpine:latest\n' >services/api.dockerfile
digest=$(printf '%064d' 0 | tr 0 a)

# 0. The system hook: the imagelint on PATH, a fresh cache, nothing built. Timed from pre-commit's start.
bindir="$work/bin"
mkdir -p "$bindir"
ln -s "$binary" "$bindir/imagelint"
say "system hook with $binary ($("$binary" --version))"
write_config imagelint-system
(
    export PRE_COMMIT_HOME="$work/pre-commit-home-system" PATH="$bindir:$PATH"
    t0=$(date +%s%N)
    run_pre_commit nonzero "system hook, bad Dockerfile (first run on a fresh PRE_COMMIT_HOME)"
    ms=$((($(date +%s%N) - t0) / 1000000))
    expect_output '^imagelint\.+Failed'
    expect_output '(^|[^/])Dockerfile:1:6: error: .*latest-tag'
    expect_output 'services/api\.dockerfile:1:6'
    say "     first run of the system hook: $ms ms (limit 5000 ms)"
    [ "$ms" -lt 5000 ] || fail "the first run of imagelint-system took $ms ms, over 5 s"
    printf 'FROM nginx:1.25.3@sha256:%s\nRUN nginx -t\n' "$digest" >Dockerfile
    printf 'FROM alpine:3.19.1@sha256:%s\n' "$digest" >services/api.dockerfile
    run_pre_commit 0 "system hook, pinned Dockerfile"
    expect_output '^imagelint\.+Passed'
    reject_output 'latest-tag'
)
# 0b. The docker hook, through a stand-in `docker` that runs the release image with buildah.
version=$(sed -n 's/^    public static let version = "\(.*\)"$/\1/p' "$root/Sources/ImagelintCore/Version.swift")
archive=${IMAGELINT_OCI_ARCHIVE:-$root/dist/imagelint-$version-oci.tar}
if [ ! -f "$archive" ] || ! command -v buildah >/dev/null 2>&1; then
    reason="no OCI archive at $archive (Scripts/release.sh $version makes it)"
    command -v buildah >/dev/null 2>&1 || reason="buildah is not installed"
    say "SKIPPED: the imagelint-docker hook: $reason"
    [ "${CI:-}" != true ] || fail "the imagelint-docker hook was skipped under CI=true: $reason"
else
    image=$(sed -n '/^- id: imagelint-docker$/,/^$/s/^  entry: \([^ ]*\) .*/\1/p' "$root/.pre-commit-hooks.yaml")
    [ -n "$image" ] || fail "no entry image for imagelint-docker in .pre-commit-hooks.yaml"
    store="$work/buildah"
    cat >"$bindir/docker" <<'SH'
#!/usr/bin/env bash
# Stand-in for `docker run` as pre-commit's docker_image language calls it, on buildah.
set -euo pipefail
b=(buildah --storage-driver vfs --root "$E2E_BUILDAH/root" --runroot "$E2E_BUILDAH/runroot")
# pre-commit asks whether the daemon is rootless first: it is not (so it passes `-u UID:GID`).
if [ "${1:-}" = system ] && [ "${2:-}" = info ]; then echo '{}'; exit 0; fi
[ "${1:-}" = run ] || { echo "docker stand-in: only 'run' is supported (got: $*)" >&2; exit 125; }
shift
opts=()
while [ $# -gt 0 ]; do
    case $1 in
        --rm | --tty | -t) shift ;;
        -u) opts+=(--user "$2"); shift 2 ;;
        -v) spec=$2; spec=${spec%:rw,Z}; opts+=(-v "$spec"); shift 2 ;;
        --workdir) opts+=(--workingdir "$2"); shift 2 ;;
        --entrypoint) entrypoint=$2; shift 2 ;;
        -*) echo "docker stand-in: unexpected option $1" >&2; exit 125 ;;
        *) break ;;
    esac
done
image=$1
shift
ctr=$("${b[@]}" from --quiet --pull-never "$image")
trap '"${b[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
if [ -z "${entrypoint:-}" ]; then
    entrypoint=$("${b[@]}" inspect --type container --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}' "$ctr")
fi
status=0
# shellcheck disable=SC2086 # the entrypoint is a list of words
"${b[@]}" run --isolation chroot "${opts[@]}" "$ctr" -- $entrypoint "$@" || status=$?
exit "$status"
SH
    chmod +x "$bindir/docker"
    buildah --storage-driver vfs --root "$store/root" --runroot "$store/runroot" pull --quiet \
        "oci-archive:$archive" >/dev/null
    buildah --storage-driver vfs --root "$store/root" --runroot "$store/runroot" tag "localhost/imagelint:$version" "$image"
    say "docker hook: $image from $archive, run by a buildah stand-in for docker"
    printf 'FROM nginx:latest\nRUN nginx -t\n' >Dockerfile
    write_config imagelint-docker
    (
        export PRE_COMMIT_HOME="$work/pre-commit-home-docker" PATH="$bindir:$PATH" E2E_BUILDAH="$store"
        run_pre_commit nonzero "docker hook, bad Dockerfile"
        expect_output '^imagelint\.+Failed'
        expect_output '(^|[^/])Dockerfile:1:6: error: .*latest-tag'
        printf 'FROM nginx:1.25.3@sha256:%s\nRUN nginx -t\n' "$digest" >Dockerfile
        run_pre_commit 0 "docker hook, pinned Dockerfile"
        expect_output '^imagelint\.+Passed'
    )
    buildah --storage-driver vfs --root "$store/root" --runroot "$store/runroot" rmi --all --force >/dev/null 2>&1 || true
    rm -f "$bindir/docker"
fi

if [ -n "${PRE_COMMIT_E2E_SYSTEM_ONLY:-}" ]; then
    say "OK: the toolchain-free hooks behaved as expected (PRE_COMMIT_E2E_SYSTEM_ONLY: source-built hooks not run) in $((SECONDS - started))s"
    exit 0
fi
printf 'FROM nginx:latest\nRUN nginx -t\n' >Dockerfile
printf 'FROM alpine:latest\n' >services/api.dockerfile

# 1. A bad Dockerfile fails, with the finding in the output. This run builds the package.
write_config imagelint
say "building imagelint at $rev inside pre-commit's cache (swift build -c release; minutes on a cold cache)"
run_pre_commit nonzero "bad Dockerfile (first run, includes the release build)"
expect_output '^imagelint\.+Failed'
expect_output 'latest-tag'
expect_output '(^|[^/])Dockerfile:1:6'
expect_output 'services/api\.dockerfile:1:6'

# 2. Pinned by digest it passes; files the patterns must not pass on are left alone.
printf 'FROM nginx:1.25.3@sha256:%s\nRUN nginx -t\n' "$digest" >Dockerfile
printf 'FROM alpine:3.19.1@sha256:%s\n' "$digest" >services/api.dockerfile
printf 'FROM nginx:latest\n' >notes.txt
printf 'FROM nginx:latest\n' >Dockerfile.dockerignore
run_pre_commit 0 "fixed Dockerfile"
expect_output '^imagelint\.+Passed'
reject_output 'latest-tag'

# 3. The variants: only manifests fail on a bad manifest; a root .imagelint.yml is discovered.
mkdir -p deploy/k8s
cat >deploy/k8s/web.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: cache
      image: redis:latest
YAML
write_config imagelint-dockerfile imagelint-manifests
run_pre_commit nonzero "bad manifest, split hooks"
expect_output '^imagelint \(Dockerfiles\)\.+Passed'
expect_output '^imagelint \(manifests\)\.+Failed'
expect_output 'deploy/k8s/web\.yaml:8:[0-9]+.*latest-tag'

printf '# found from the repository root\nrules:\n  latest-tag: "off"\n' >.imagelint.yml
run_pre_commit 0 "bad manifest with latest-tag off in .imagelint.yml"
expect_output '^imagelint \(manifests\)\.+Passed'

say "OK: every pre-commit run behaved as expected in $((SECONDS - started))s"
