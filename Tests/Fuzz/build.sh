#!/usr/bin/env bash
# Builds the libFuzzer targets outside SwiftPM: each module's sources are compiled directly with swiftc,
# instrumented for libFuzzer and AddressSanitizer, into .build-fuzz/ at the repository root.
#
#   Tests/Fuzz/build.sh            # all targets
#   Tests/Fuzz/build.sh yaml       # some targets: dockerfile, reference, yaml
#
# Binaries: .build-fuzz/fuzz-<target>. Run one with its seeds, e.g.
#   .build-fuzz/fuzz-yaml -timeout=5 -rss_limit_mb=2048 -max_total_time=600 .build-fuzz/corpus/yaml Tests/Fuzz/yaml/seeds
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out="$root/.build-fuzz"
mods="$out/modules"
mkdir -p "$mods"

swiftc=${SWIFTC:-swiftc}
# -O keeps the runs fast; Swift's checks (bounds, overflow, unwrap) stay on, and a trap is a crash.
flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name imagelint -I "$mods" -I "$root/Sources/CYAML")
# libyaml is a system library; its headers and library come from pkg-config when it knows them.
yaml_cflags=$(pkg-config --cflags-only-I yaml-0.1 2>/dev/null || true)
yaml_libs=$(pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)
for f in $yaml_cflags; do flags+=(-Xcc "$f"); done
# lld links the sanitizer runtimes without gold's flood of "Cannot export local symbol" warnings.
link=()
if command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$(command -v "${SWIFTC:-swiftc}")")/ld.lld" ]; then link=(-use-ld=lld); fi

# module: compile Sources/<module>/*.swift into one object and a .swiftmodule, when a source changed.
module() {
    local name=$1 srcdir="$root/Sources/$1"
    local obj="$mods/$name.o"
    if [ -f "$obj" ] && [ -z "$(find "$srcdir" "$0" -newer "$obj" -print -quit)" ]; then return; fi
    echo "  module $name"
    "$swiftc" "${flags[@]}" -module-name "$name" -wmo -c "$srcdir"/*.swift -o "$obj" \
        -emit-module -emit-module-path "$mods/$name.swiftmodule"
}

# target <name> <entry dir> <modules…>: link the entry file with the modules it needs.
target() {
    local name=$1; shift
    local entry="$root/Tests/Fuzz/$name"
    local objs=()
    for m in "$@"; do module "$m"; objs+=("$mods/$m.o"); done
    echo "  fuzz-$name"
    "$swiftc" "${flags[@]}" -module-name "Fuzz_$name" "$entry"/*.swift "${objs[@]}" "${link[@]}" $yaml_libs -o "$out/fuzz-$name"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(dockerfile reference yaml)
for t in "${want[@]}"; do
    case "$t" in
        reference) target reference ByteText ImageReference ;;
        dockerfile) target dockerfile ByteText ImageReference ImagelintCore DockerfileParser ;;
        yaml) target yaml ByteText ImageReference ImagelintCore FastYAML ManifestParser ;;
        *) echo "unknown fuzz target: $t (dockerfile, reference, yaml)" >&2; exit 64 ;;
    esac
done
