#!/usr/bin/env bash
# End-to-end test of the release artefacts (Scripts/release.sh): the tarball's binary runs where no toolchain
# is, and the container image runs under buildah; both print exactly what the normal build prints.
#
# Usage: .ci/release-e2e.sh [DISTDIR]
#   DISTDIR holds artefacts made earlier by `Scripts/release.sh VERSION DISTDIR` for the version in
#   Sources/ImagelintCore/Version.swift. Without it the script runs Scripts/release.sh into a temporary
#   directory first (a release build: take the shared build lock around this script).
#
# Checks:
#   1. the checksums verify; the tarball holds imagelint-VERSION-linux-x86_64/{imagelint,LICENSE,README.md};
#      the binary has no RUNPATH and needs nothing but the C library (the static build: nothing at all);
#   2. with the toolchain's directory covered by an empty tmpfs and libyaml's shared object by /dev/null
#      (`unshare -m`; the normal build must then fail to start, so the hiding is real), the binary prints its
#      version and prints for `lint Examples` (text and JSON) the same stdout, stderr and exit code as the
#      normal build (`swift build --show-bin-path`/imagelint, or $IMAGELINT_REFERENCE);
#   3. the OCI archive, loaded with `buildah from oci-archive:…` into a temporary store, has the entrypoint,
#      working directory and labels promised, holds only the binary, LICENSE, /src, /tmp (and the libraries
#      ldd lists, none for a static binary), and `buildah run` of `imagelint lint Examples` on a mounted
#      Examples/ gives the normal build's stdout and exit code;
#   4. Scripts/Containerfile lints with no finding.
#
# A check that cannot run here (no privilege for `unshare -m`, no buildah) is reported as SKIPPED; with CI=true
# a skip is a failure, since .ci/run installs what the checks need.
set -euo pipefail

started=$SECONDS
say() { printf 'release-e2e: %s\n' "$*"; }
failures=0
checks=0
skips=0
check() { # DESCRIPTION COMMAND…
    local what=$1
    shift
    checks=$((checks + 1))
    if "$@"; then
        printf '  ok    %s\n' "$what"
    else
        printf '  FAIL  %s\n' "$what"
        failures=$((failures + 1))
    fi
}
skip() {
    printf '  SKIPPED  %s\n' "$*"
    skips=$((skips + 1))
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
version=$(sed -n 's/^    public static let version = "\(.*\)"$/\1/p' Sources/ImagelintCore/Version.swift)
[ -n "$version" ] || { say "FAIL: no version in Sources/ImagelintCore/Version.swift"; exit 1; }
name="imagelint-$version-linux-x86_64"

work=$(mktemp -d "${TMPDIR:-/tmp}/imagelint-release-e2e.XXXXXX")
store="$work/buildah"
b=(buildah --storage-driver vfs --root "$store/root" --runroot "$store/runroot")
cleanup() {
    if [ -d "$store" ]; then
        "${b[@]}" rm --all >/dev/null 2>&1 || true
        "${b[@]}" rmi --all --force >/dev/null 2>&1 || true
    fi
    rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dist=${1:-}
if [ -z "$dist" ]; then
    dist="$work/dist"
    say "running Scripts/release.sh $version $dist"
    Scripts/release.sh "$version" "$dist"
fi
dist=$(cd "$dist" && pwd -P)
tarball="$dist/$name.tar.gz"
archive="$dist/imagelint-$version-oci.tar"
[ -f "$tarball" ] || { say "FAIL: no $tarball (run Scripts/release.sh $version $dist)"; exit 1; }

reference=${IMAGELINT_REFERENCE:-$(swift build --show-bin-path)/imagelint}
if [ ! -x "$reference" ]; then
    say "no normal build at $reference; running swift build --product imagelint"
    swift build --product imagelint
fi
[ "$("$reference" --version)" = "$version" ] || { say "FAIL: $reference is not version $version"; exit 1; }

# The normal build's outputs, the reference for every comparison.
run_into() { # DIR COMMAND…: stdout, stderr and exit status of COMMAND, run from the repository root
    local dir=$1 status=0
    shift
    mkdir -p "$dir"
    "$@" >"$dir/stdout" 2>"$dir/stderr" || status=$?
    echo "$status" >"$dir/status"
}
run_into "$work/ref-text" "$reference" lint Examples
run_into "$work/ref-json" "$reference" lint --format json Examples
same() { # DIR1 DIR2 [streams…]
    local a=$1 bdir=$2 s
    shift 2
    for s in "${@:-stdout stderr status}"; do
        for f in $s; do
            if ! cmp -s "$a/$f" "$bdir/$f"; then
                echo "        $f differs:"
                diff "$a/$f" "$bdir/$f" | head -n 10 | sed 's/^/        | /'
                return 1
            fi
        done
    done
}
say "the normal build exits $(cat "$work/ref-text/status") on Examples with $(wc -l <"$work/ref-text/stdout") lines"

# ---------------------------------------------------------------------------------------------------
say "1. the tarball"
check "tarball checksum verifies" bash -c "cd '$dist' && sha256sum --quiet -c '$name.tar.gz.sha256'"
listing=$(tar -tzf "$tarball" | LC_ALL=C sort | tr '\n' ' ')
check "tarball holds $name/{imagelint,LICENSE,README.md}" \
    test "$listing" = "$name/ $name/LICENSE $name/README.md $name/imagelint "
tar -xzf "$tarball" -C "$work"
bin="$work/$name/imagelint"
check "LICENSE is the Apache License 2.0" grep -q 'Apache License' "$work/$name/LICENSE"
dynamic=$(readelf -d "$bin" 2>/dev/null || true)
check "no RUNPATH or RPATH" bash -c "! grep -qE '\((RUNPATH|RPATH)\)' <<<'$dynamic'"
needed=$(grep -oP '\(NEEDED\).*\[\K[^]]+' <<<"$dynamic" || true)
only_libc() {
    local lib
    for lib in $needed; do
        case $lib in libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux-x86-64.so.2) ;; *) return 1 ;; esac
    done
}
check "needs nothing beyond the C library (needs: $(echo ${needed:-nothing}))" only_libc
say "   binary $(stat -c %s "$bin") bytes; $(file -b "$bin" | cut -d, -f1-4)"

# ---------------------------------------------------------------------------------------------------
say "2. the binary with the toolchain hidden"
swift_bin=$(command -v swift 2>/dev/null || true)
toolchain=""
if [ -n "$swift_bin" ]; then
    resolved=$(readlink -f "$swift_bin")
    # …/usr/bin/swift: the toolchain is the directory holding usr/, unless that is / itself.
    toolchain=$(dirname "$(dirname "$(dirname "$resolved")")")
    [ "$toolchain" = / ] && toolchain=$(dirname "$(dirname "$resolved")")/lib/swift
fi
hide_script='
set -e
mount -t tmpfs -o size=1m imagelint-e2e-empty "$TOOLCHAIN"
for so in /usr/lib/*/libyaml*.so* /usr/lib/libyaml*.so*; do [ -e "$so" ] && mount --bind /dev/null "$so"; done
"$@"
'
hidden() { unshare -m /bin/bash -c "$hide_script" hidden "$@"; }
if [ -z "$toolchain" ] || [ ! -d "$toolchain" ]; then
    skip "no toolchain directory found to hide (swift: ${swift_bin:-not on PATH})"
elif ! TOOLCHAIN=$toolchain hidden true 2>"$work/unshare.err"; then
    skip "cannot hide $toolchain: unshare -m and mount need privilege here ($(head -c 200 "$work/unshare.err"))"
else
    export TOOLCHAIN=$toolchain
    say "   hiding $toolchain and libyaml's shared objects"
    hiding_is_real() { ! hidden "$swift_bin" --version >/dev/null 2>&1 && ! hidden "$reference" --version >/dev/null 2>&1; }
    check "the hiding is real: swift and the normal build cannot start" hiding_is_real
    check "imagelint --version prints $version" test "$(hidden "$bin" --version)" = "$version"
    run_into "$work/bin-text" hidden "$bin" lint Examples
    check "lint Examples: stdout, stderr and exit code as the normal build's" same "$work/ref-text" "$work/bin-text"
    run_into "$work/bin-json" hidden "$bin" lint --format json Examples
    check "lint --format json Examples: the same" same "$work/ref-json" "$work/bin-json"
    unset TOOLCHAIN
fi

# ---------------------------------------------------------------------------------------------------
say "3. the container image"
if [ ! -f "$archive" ]; then
    skip "no $archive (Scripts/release.sh makes it when buildah is installed)"
elif ! command -v buildah >/dev/null 2>&1; then
    skip "buildah is not installed (apt-get install buildah)"
else
    check "image checksum verifies" bash -c "cd '$dist' && sha256sum --quiet -c 'imagelint-$version-oci.tar.sha256'"
    ctr=$("${b[@]}" from --quiet "oci-archive:$archive")
    "${b[@]}" inspect --type container "$ctr" >"$work/inspect.json"
    config() { python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["OCIv1"]["config"]; print(eval(sys.argv[2], {"c": c}))' "$work/inspect.json" "$1"; }
    check "entrypoint is imagelint" test "$(config 'c.get("Entrypoint")')" = "['/usr/bin/imagelint']"
    check "working directory is /src" test "$(config 'c.get("WorkingDir")')" = /src
    check "OCI labels: version $version, licence, source, revision" test \
        "$(config '[c["Labels"].get("org.opencontainers.image." + k, "") != "" for k in ("title", "source", "revision", "created")] + [c["Labels"].get("org.opencontainers.image.version"), c["Labels"].get("org.opencontainers.image.licenses")]')" \
        = "[True, True, True, True, '$version', 'Apache-2.0']"
    mnt=$("${b[@]}" mount "$ctr")
    files=$(cd "$mnt" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')
    libs=$(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+' | sed 's|^/||' | LC_ALL=C sort | tr '\n' ' ' || true)
    expected=$(printf '%s\n' LICENSE usr/bin/imagelint $libs | LC_ALL=C sort | tr '\n' ' ')
    check "holds only the binary, LICENSE and the libraries ldd lists (${libs:-none})" test "$files" = "$expected"
    check "has /src and a writable /tmp" test -d "$mnt/src" -a -d "$mnt/tmp" -a -k "$mnt/tmp"
    "${b[@]}" umount "$ctr" >/dev/null
    size=$("${b[@]}" images --format '{{.Size}}' 2>/dev/null | head -n 1)
    say "   image: $size unpacked, $(stat -c %s "$archive") bytes as an OCI archive"
    status=0
    # The checkout is mounted whole, as a user mounts a repository (`-v "$PWD:/src"`): the project root (its
    # `.git`) is what kustomize root names and configuration discovery are relative to.
    "${b[@]}" run --isolation chroot -v "$root:/src:ro" "$ctr" -- /usr/bin/imagelint lint Examples \
        >"$work/img-stdout" 2>"$work/img-stderr" || status=$?
    mkdir -p "$work/img"
    cp "$work/img-stdout" "$work/img/stdout"
    echo "$status" >"$work/img/status"
    check "buildah run: lint Examples gives the normal build's stdout and exit code" same "$work/ref-text" "$work/img" "stdout status"
fi

# ---------------------------------------------------------------------------------------------------
say "4. the image's own Containerfile"
run_into "$work/containerfile" "$reference" lint Scripts/Containerfile
check "imagelint lint Scripts/Containerfile: exit 0, no finding" \
    bash -c "test \"\$(cat '$work/containerfile/status')\" = 0 && grep -qix 'no findings in 1 file' '$work/containerfile/stdout' '$work/containerfile/stderr'"

echo
if [ "$failures" -ne 0 ]; then
    say "FAIL: $failures of $checks checks failed, $skips skipped ($((SECONDS - started))s)"
    exit 1
fi
if [ "$skips" -ne 0 ]; then
    if [ "${CI:-}" = true ]; then
        say "FAIL: $skips check(s) SKIPPED under CI=true ($checks passed)"
        exit 1
    fi
    say "OK with $skips check(s) SKIPPED: $checks checks passed in $((SECONDS - started))s"
    exit 0
fi
say "OK: $checks checks passed in $((SECONDS - started))s"
