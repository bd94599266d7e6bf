#!/usr/bin/env bash
# Builds imagelint's release artefacts for Linux x86_64 from this checkout's working tree.
#
# Usage: Scripts/release.sh VERSION [OUTDIR]        OUTDIR defaults to dist/
#
# Makes, in OUTDIR:
#   imagelint-VERSION-linux-x86_64.tar.gz          imagelint-VERSION-linux-x86_64/{imagelint,LICENSE,README.md}
#   imagelint-VERSION-linux-x86_64.tar.gz.sha256   its checksum (`sha256sum -c` format)
#   imagelint-VERSION-oci.tar                      the container image, an OCI archive (when buildah is installed)
#   imagelint-VERSION-oci.tar.sha256
#
# The binary is a static executable: Swift runtime, Foundation essentials, Dispatch, libyaml and the C library
# all linked in (`--static-swift-stdlib -Xswiftc -static-executable`, libyaml from libyaml-dev's libyaml.a), so it
# needs no toolchain, no libyaml and no particular glibc at run time (16.3 MB stripped). The linker warns that
# glibc's getpwuid_r/getgrgid_r/dlopen need glibc's shared objects when called from a static program; imagelint
# never looks up users or groups, and the tests run the binary where neither toolchain nor libyaml is visible.
# With IMAGELINT_STATIC=dynamic-libc the C library stays shared instead (the binary then needs libc and libm
# only; libstdc++ and libgcc are linked in statically) and the image carries those libraries (19.5 MB).
# Either way the script refuses a binary with a RUNPATH (SwiftPM's `$ORIGIN` one is turned off), or with a
# dependency beyond the C library, or whose `--version` is not VERSION.
#
# The version is stamped into a copy of the sources (.build/release-stage/src, kept so a second release builds
# incrementally): Sources/ImagelintCore/Version.swift there says VERSION. The archive is packed
# deterministically (sorted entries, fixed owner, mtime of the HEAD commit, gzip without a name or time stamp),
# but the binary is not bit-for-bit reproducible across checkouts (it embeds source paths): publish the
# archive that was checked, and record its digest (Scripts/release-checksums.sha256).
#
# The image is built with buildah (`--storage-driver vfs --isolation chroot`: no daemon, works as root in a
# container) from Scripts/Containerfile: `scratch`, the binary and whatever libraries `ldd` lists (none for the
# static build), `imagelint` as entrypoint, `/src` as working directory, OCI labels. Set IMAGELINT_IMAGE=0 to
# skip it; without buildah it is skipped with a note (IMAGELINT_IMAGE=1 makes that an error).
set -euo pipefail

usage() { echo "usage: Scripts/release.sh VERSION [OUTDIR]   (VERSION like 1.2.3 or 1.2.3-rc.1)" >&2; exit 64; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
version=$1
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || usage
say() { printf 'release: %s\n' "$*"; }
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
outdir=${2:-$root/dist}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd -P)
arch=$(uname -m)
[ "$(uname -s)" = Linux ] && [ "$arch" = x86_64 ] || die "this script builds the linux-x86_64 release; this is $(uname -s) $arch"
name="imagelint-$version-linux-x86_64"
mode=${IMAGELINT_STATIC:-static}

# --- 1. A copy of the sources with the version stamped in. Files are copied only when they changed, so the
#        build below is incremental; files gone from the tree are removed from the copy.
stage="$root/.build/release-stage"
src="$stage/src"
mkdir -p "$src"
cd "$root"
git rev-parse --git-dir >/dev/null 2>&1 || die "$root is not a git checkout"
listing="$stage/files"
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\n' "$f"; done \
    | LC_ALL=C sort >"$listing"
while IFS= read -r f; do
    if ! cmp -s "$f" "$src/$f" 2>/dev/null; then mkdir -p "$src/$(dirname "$f")" && cp -p "$f" "$src/$f"; fi
done <"$listing"
(cd "$src" && find . -type f ! -path './.build/*' ! -path './.swiftpm/*' ! -name Package.resolved | sed 's|^\./||' | LC_ALL=C sort) | comm -23 - "$listing" \
    | while IFS= read -r f; do rm -f "$src/$f"; done
version_file="$src/Sources/ImagelintCore/Version.swift"
grep -q '^    public static let version = "' "$version_file" || die "no version constant in Sources/ImagelintCore/Version.swift"
stamped=$(sed "s/^    public static let version = \".*\"/    public static let version = \"$version\"/" "$version_file")
if [ "$stamped" != "$(cat "$version_file")" ]; then printf '%s\n' "$stamped" >"$version_file"; fi
say "sources of $(git describe --always --dirty 2>/dev/null || echo unknown) staged in $src, version $version"

# --- 2. The build.
yaml_libdir=$(pkg-config --variable=libdir yaml-0.1 2>/dev/null || true)
[ -n "$yaml_libdir" ] && [ -f "$yaml_libdir/libyaml.a" ] \
    || die "libyaml.a not found (Debian: apt-get install libyaml-dev pkg-config)"
# A directory holding only libyaml.a, and a yaml-0.1.pc (found first through PKG_CONFIG_PATH) whose `Libs:` name
# only that directory: `-lyaml` then links the archive, not libyaml.so (the system .pc's -L would find that).
mkdir -p "$stage/static-libs" "$stage/pkgconfig"
ln -sf "$yaml_libdir/libyaml.a" "$stage/static-libs/libyaml.a"
sed "s|^libdir=.*|libdir=$stage/static-libs|" "$(pkg-config --variable=pcfiledir yaml-0.1)/yaml-0.1.pc" \
    >"$stage/pkgconfig/yaml-0.1.pc"
export PKG_CONFIG_PATH="$stage/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# --disable-local-rpath: no `$ORIGIN` RUNPATH (SwiftPM adds one by default); --static-swift-stdlib: no RUNPATH
# into the toolchain.
flags=(-c release --product imagelint --static-swift-stdlib --disable-local-rpath --package-path "$src"
    --build-path "$stage/build")
case $mode in
    static) flags+=(-Xswiftc -static-executable) ;;
    # The static Swift runtime links `-lstdc++` by name: libstdc++.a beside libyaml.a is found first (the -L
    # comes before the compiler's own directories), and clang's -static-libgcc takes libgcc_s's place.
    dynamic-libc)
        stdcxx=$(ls /usr/lib/gcc/x86_64-linux-gnu/*/libstdc++.a 2>/dev/null | sort -V | tail -n 1)
        [ -n "$stdcxx" ] || die "libstdc++.a not found (Debian: apt-get install libstdc++-12-dev)"
        ln -sf "$stdcxx" "$stage/static-libs/libstdc++.a"
        flags+=(-Xlinker -L"$stage/static-libs" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
        ;;
    *) die "IMAGELINT_STATIC must be static or dynamic-libc, not $mode" ;;
esac
say "swift build ${flags[*]}"
t0=$SECONDS
swift build "${flags[@]}"
bin="$stage/build/release/imagelint"
[ -x "$bin" ] || die "no binary at $bin"
say "built in $((SECONDS - t0))s"

# --- 3. Checks: no RUNPATH, only the C library, the right version.
dynamic=$(readelf -d "$bin" 2>/dev/null || true)
if grep -qE '\((RUNPATH|RPATH)\)' <<<"$dynamic"; then die "the binary has a RUNPATH: $(grep -E 'RUNPATH|RPATH' <<<"$dynamic")"; fi
needed=$(grep -oP '\(NEEDED\).*\[\K[^]]+' <<<"$dynamic" || true)
if [ "$mode" = static ]; then
    [ -z "$needed" ] || die "a static build needs nothing, this one needs: $needed"
    file "$bin" 2>/dev/null | grep -q 'statically linked' || die "not a static executable: $(file "$bin")"
else
    extra=$(grep -vxE 'libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux-x86-64\.so\.2' <<<"$needed" || true)
    [ -z "$extra" ] || die "the binary needs more than the C library: $extra"
fi
said=$("$bin" --version)
[ "$said" = "$version" ] || die "imagelint --version says $said, not $version"
strip "$bin" -o "$stage/imagelint" 2>/dev/null || cp "$bin" "$stage/imagelint"
say "binary: $(stat -c %s "$stage/imagelint") bytes stripped, needs: ${needed:-nothing}"

# --- 4. The tarball, packed deterministically.
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
pack="$stage/pack"
rm -rf "$pack"
mkdir -p "$pack/$name"
install -m 0755 "$stage/imagelint" "$pack/$name/imagelint"
install -m 0644 "$root/LICENSE" "$root/README.md" "$pack/$name/"
tarball="$outdir/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --format=gnu -C "$pack" -cf - "$name" \
    | gzip -n -9 >"$tarball"
(cd "$outdir" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
say "wrote $tarball ($(stat -c %s "$tarball") bytes), sha256 $(cut -d' ' -f1 "$tarball.sha256")"

# --- 5. The container image.
image_wanted=${IMAGELINT_IMAGE:-auto}
if [ "$image_wanted" = 0 ]; then
    say "image: skipped (IMAGELINT_IMAGE=0)"
    exit 0
fi
if ! command -v buildah >/dev/null 2>&1; then
    [ "$image_wanted" = 1 ] && die "buildah is not installed (apt-get install buildah)"
    say "image: SKIPPED, buildah is not installed (apt-get install buildah); IMAGELINT_IMAGE=1 makes this an error"
    exit 0
fi
ctx="$stage/image-context"
rm -rf "$ctx"
mkdir -p "$ctx/rootfs/src" "$ctx/rootfs/tmp" "$ctx/rootfs/usr/bin"
chmod 1777 "$ctx/rootfs/tmp"
install -m 0755 "$stage/imagelint" "$ctx/rootfs/usr/bin/imagelint"
# The libraries the binary loads, at the paths it looks for them (nothing for the static build).
if [ "$mode" != static ]; then
    ldd "$stage/imagelint" | grep -oE '/[^ ]+' | while IFS= read -r lib; do
        mkdir -p "$ctx/rootfs$(dirname "$lib")"
        cp -L "$lib" "$ctx/rootfs$lib"
    done
fi
install -m 0644 "$root/LICENSE" "$ctx/rootfs/LICENSE"
cp "$root/Scripts/Containerfile" "$ctx/Containerfile"
archive="$outdir/imagelint-$version-oci.tar"
storage="$stage/buildah"
b=(buildah --storage-driver vfs --root "$storage/root" --runroot "$storage/runroot")
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
tag="localhost/imagelint:$version"
"${b[@]}" build --isolation chroot --quiet --layers=false --timestamp "$epoch" \
    --build-arg "VERSION=$version" --build-arg "REVISION=$revision" --build-arg "CREATED=$created" \
    -f "$ctx/Containerfile" -t "$tag" "$ctx" >/dev/null
rm -f "$archive"
"${b[@]}" push --quiet "$tag" "oci-archive:$archive:$tag" >/dev/null
"${b[@]}" rmi "$tag" >/dev/null 2>&1 || true
(cd "$outdir" && sha256sum "imagelint-$version-oci.tar" >"imagelint-$version-oci.tar.sha256")
say "wrote $archive ($(stat -c %s "$archive") bytes)"
