#!/usr/bin/env bash
# The pin benchmark (issue 19): a local registry (Debian's docker-registry on 127.0.0.1) holding 200 tags,
# a generated tree of 2,000 files (Dockerfiles, Kubernetes manifests, compose files) that reference them, and
# one `imagelint pin --stats` over the tree. Prints the registry requests (one manifest request per distinct
# reference is the target) and the wall time; exit 0 when the count is 200 and every file was pinned.
#
#   Tests/Benchmarks/pin.sh              # uses the release build (swift build -c release --show-bin-path; IMAGELINT=path to override)
#   Tests/Benchmarks/pin.sh --build      # swift build -c release first (under the shared build lock)
#
# Needs docker-registry, skopeo and curl (apt-get install docker-registry skopeo curl). Network: 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
repos=20 tags_per_repo=10 files=2000

if [ "${1:-}" = "--build" ]; then
    flock /tmp/imagelint-swift.lock swift build -c release --product imagelint >/dev/null
fi
imagelint=${IMAGELINT:-$(swift build -c release --show-bin-path)/imagelint}
for tool in docker-registry skopeo curl sha256sum "$imagelint"; do
    command -v "$tool" >/dev/null || { echo "pin.sh: needs $tool" >&2; exit 2; }
done

work=$(mktemp -d /tmp/imagelint-pin-bench.XXXXXX)
registry_pid=
cleanup() {
    if [ -n "$registry_pid" ]; then kill -9 "$registry_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
mkdir -p "$work/storage"
cat > "$work/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $host
EOF
docker-registry serve "$work/config.yml" > "$work/registry.log" 2>&1 &  # killed by the EXIT trap
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://$host/v2/" >/dev/null && break; sleep 0.1; done
curl -fs "http://$host/v2/" >/dev/null || { echo "pin.sh: the registry did not start" >&2; cat "$work/registry.log" >&2; exit 2; }

# A one-platform OCI image: an empty tar layer and a small config.
oci=$work/oci
mkdir -p "$oci/blobs/sha256"
blob() {  # file → digest, stored in the layout
    local d
    d=$(sha256sum "$1" | cut -d' ' -f1)
    cp "$1" "$oci/blobs/sha256/$d"
    echo "$d"
}
head -c 1024 /dev/zero > "$work/layer"
layer=$(blob "$work/layer")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$layer" > "$work/config"
config=$(blob "$work/config")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":1024}]}' \
    "$config" "$(wc -c < "$work/config")" "$layer" > "$work/manifest"
manifest=$(blob "$work/manifest")
printf '{"imageLayoutVersion":"1.0.0"}' > "$oci/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"base"}}]}' \
    "$manifest" "$(wc -c < "$work/manifest")" > "$oci/index.json"

# 20 repositories (skopeo pushes the blobs), 10 tags each (the manifest put under each tag).
started=$(date +%s)
for r in $(seq 1 $repos); do
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$oci:base" "docker://$host/bench/app$r:base" >/dev/null
    for t in $(seq 1 $tags_per_repo); do
        curl -fs -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" \
            --data-binary "@$work/manifest" "http://$host/v2/bench/app$r/manifests/1.$t.0" >/dev/null
    done
done
echo "pushed $((repos * tags_per_repo)) tags in $(( $(date +%s) - started )) s"

# 2,000 files, each referencing tags round-robin: Dockerfiles (two references), manifests, compose files.
tree=$work/tree
for i in $(seq 0 $((files - 1))); do
    d=$tree/svc$((i / 100))
    mkdir -p "$d"
    a=$(( i % (repos * tags_per_repo) ))
    b=$(( (i * 7 + 3) % (repos * tags_per_repo) ))
    ra=$host/bench/app$(( a / tags_per_repo + 1 )):1.$(( a % tags_per_repo + 1 )).0
    rb=$host/bench/app$(( b / tags_per_repo + 1 )):1.$(( b % tags_per_repo + 1 )).0
    case $(( i % 3 )) in
        0) printf 'FROM %s AS build\nRUN make\nFROM %s\nCOPY --from=build /out /out\n' "$ra" "$rb" > "$d/Dockerfile.$i" ;;
        1) printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app%d\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: %s\n        - name: b\n          image: "%s"\n' "$i" "$ra" "$rb" > "$d/deploy-$i.yaml" ;;
        2) printf 'services:\n  web:\n    image: %s\n  worker:\n    image: %s\n' "$ra" "$rb" > "$d/compose-$i.yaml" ;;
    esac
done
# compose files are found by name: give them the names compose reads.
for f in "$tree"/svc*/compose-*.yaml; do
    n=${f##*/compose-}; mkdir -p "${f%/*}/c${n%.yaml}"; mv "$f" "${f%/*}/c${n%.yaml}/compose.yaml"
done
for f in "$tree"/svc*/Dockerfile.*; do
    n=${f##*/Dockerfile.}; mkdir -p "${f%/*}/d$n"; mv "$f" "${f%/*}/d$n/Dockerfile"
done
echo "generated $files files referencing $((repos * tags_per_repo)) distinct tags"

begin=$(date +%s%N)
"$imagelint" pin --stats --insecure-registry "$host" "$tree" > "$work/pin.out" 2> "$work/pin.err" || {
    echo "pin.sh: imagelint pin failed" >&2; cp "$work/pin.err" /tmp/imagelint-pin-bench.err; head -c 3000 "$work/pin.err" >&2; exit 1; }
end=$(date +%s%N)
tail -n 1 "$work/pin.out"
grep 'registry requests' "$work/pin.err"
echo "wall time: $(( (end - begin) / 1000000 )) ms for $files files"

requests=$(sed -n 's/^registry requests: \([0-9]*\) manifest.*/\1/p' "$work/pin.err")
pinned_files=$(grep -rl "@sha256:$manifest" "$tree" | wc -l)
echo "files pinned: $pinned_files of $files"
if [ "$requests" != "$((repos * tags_per_repo))" ] || [ "$pinned_files" != "$files" ]; then
    echo "pin.sh: expected $((repos * tags_per_repo)) manifest requests and $files pinned files" >&2
    exit 1
fi
