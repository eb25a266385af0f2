#!/usr/bin/env bash
# Builds the four services' OCI images with the .NET SDK's own container support (`dotnet publish
# -t:PublishContainer`, no Dockerfile) into tarballs, then checks each tarball's config (non-root numeric user,
# entrypoint, exposed port) and prints its size and user. Settings shared by the images: deploy/images/Containers.props.
#
#   scripts/build-images.sh [--base local|microsoft|<image reference>] [--tag TAG] [--out DIR]
#
#   --base microsoft  mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled (the default of Containers.props):
#                     for CI with access to mcr.microsoft.com.
#   --base local      (default) a distroless base built here from Debian packages (libc6, libgcc-s1, libstdc++6,
#                     libssl3, zlib1g, the CA bundle, tzdata, user app 1654), served to the SDK by a registry on
#                     127.0.0.1 for the length of the build: for machines that reach only Debian's mirror and NuGet.
#   --base REF        any other base image the SDK can pull (e.g. a digest-pinned runtime-deps in your registry).
#
# Load a tarball with `docker load -i` / `podman load -i`, or copy it to a registry with
# `skopeo copy docker-archive:<file> docker://<registry>/<repository>:<tag>`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=lib/cosmos.sh
source scripts/lib/cosmos.sh   # free_port

base_packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g ca-certificates tzdata base-files netbase)

require_tools() {
  local missing=()
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v umoci >/dev/null || missing+=(umoci)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v jq >/dev/null || missing+=(jq)
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
}

# The native libraries a self-contained .NET app needs, unpacked from Debian packages without running their
# maintainer scripts (as distroless images are made): no shell, no package manager, no binaries but the loader.
build_local_base() {
  local work="$1" rootfs="$1/rootfs" debs="$1/debs"
  rm -rf "$rootfs" "$work/oci" "$debs"
  mkdir -p "$rootfs" "$debs"
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${base_packages[@]}" 2>/dev/null) \
    || { apt-get update -qq && (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${base_packages[@]}"); }
  mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64} "$rootfs"/var/lib/dpkg/status.d
  for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$rootfs/$dir"; done
  for deb in "$debs"/*.deb; do
    dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$rootfs"
    # Package records where scanners (Trivy, Grype, Syft) look for them in distroless images.
    dpkg-deb -f "$deb" > "$rootfs/var/lib/dpkg/status.d/$(dpkg-deb -f "$deb" Package)"
  done
  find "$rootfs/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat > "$rootfs/etc/ssl/certs/ca-certificates.crt"
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  rm -rf "$rootfs"/usr/share/{man,info,lintian,locale,common-licenses} "$rootfs"/usr/bin/* "$rootfs"/usr/sbin/* \
         "$rootfs"/usr/lib/x86_64-linux-gnu/gconv "$rootfs"/usr/libexec "$rootfs"/etc/{profile,bash.bashrc,skel,update-motd.d}
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/home/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
  mkdir -p "$rootfs/home/app" "$rootfs/tmp" && chown 1654:1654 "$rootfs/home/app" && chmod 1777 "$rootfs/tmp"

  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:base"
  umoci insert --image "$work/oci:base" "$rootfs" /
  # The environment of Microsoft's runtime-deps images, so that both bases behave alike.
  umoci config --image "$work/oci:base" --os linux --architecture amd64 --config.user 1654:1654 --config.workingdir /app \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env APP_UID=1654 --config.env DOTNET_RUNNING_IN_CONTAINER=true --config.env ASPNETCORE_HTTP_PORTS=8080 \
    --config.label org.opencontainers.image.description="runtime-deps for self-contained .NET 10 apps, from Debian 12 packages: ${base_packages[*]}"
  echo "local base: $(du -sm "$rootfs" | cut -f1) MiB unpacked, packages: ${base_packages[*]}"
}

start_registry() {
  local dir="$1" port
  port="$(free_port)"
  mkdir -p "$dir/data"
  cat > "$dir/config.yml" <<YAML
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $dir/data } }
http: { addr: "127.0.0.1:$port" }
YAML
  docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
  echo $! > "$dir/registry.pid"
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/v2/" && { echo "$port"; return; }
    sleep 0.1
  done
  echo "the local registry did not start (log: $dir/registry.log)" >&2
  return 1
}

stop_registry() {
  local pidfile="$1/registry.pid"
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

# Reads the archive the SDK wrote (Docker or OCI layout) and fails unless the image runs as a non-root numeric
# user, starts the service's own executable and exposes 8080; prints one row of the size table.
verify_archive() {
  local archive="$1" service="$2" tag="$3" assembly="$4" dir config user entrypoint ports unpacked
  dir="$(mktemp -d)"
  tar -xf "$archive" -C "$dir"
  if [ -f "$dir/manifest.json" ]; then
    config="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
    unpacked=$(jq -r '.[0].Layers[]' "$dir/manifest.json" | while read -r layer; do gzip -dc "$dir/$layer" 2>/dev/null || cat "$dir/$layer"; done | wc -c)
  else
    local manifest
    manifest="$dir/blobs/$(jq -r '.manifests[0].digest' "$dir/index.json" | tr : /)"
    config="$dir/blobs/$(jq -r '.config.digest' "$manifest" | tr : /)"
    unpacked=$(jq -r '.layers[].digest' "$manifest" | tr : / | while read -r layer; do gzip -dc "$dir/blobs/$layer"; done | wc -c)
  fi
  user="$(jq -r '.config.User // ""' "$config")"
  entrypoint="$(jq -c '.config.Entrypoint // []' "$config")"
  ports="$(jq -c '.config.ExposedPorts // {} | keys' "$config")"
  rm -rf "$dir"
  [[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || { echo "$service: image user '$user' is not a non-root numeric UID" >&2; return 1; }
  [ "$entrypoint" = "[\"/app/$assembly\"]" ] || { echo "$service: entrypoint $entrypoint is not /app/$assembly" >&2; return 1; }
  [ "$ports" = '["8080/tcp"]' ] || { echo "$service: exposed ports $ports are not [8080/tcp]" >&2; return 1; }
  awk -v s="$service" -v i="integration-sync-$service:$tag" -v c="$(stat -c %s "$archive")" -v u="$unpacked" -v user="$user" \
    'BEGIN { printf "%-16s %-52s %8.1f MiB %8.1f MiB  %s\n", s, i, c / 1048576, u / 1048576, user }'
}

base=local
tag="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo dev)"
out="$root/.run/images"
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

base_args=()
case "$base" in
  microsoft) ;;
  local)
    require_tools
    work="$out/base"
    build_local_base "$work"
    port="$(start_registry "$work/registry")"
    trap 'stop_registry "$work/registry"' EXIT
    base_ref="127.0.0.1:$port/dotnet/runtime-deps:10.0-bookworm-distroless"
    skopeo copy -q --dest-tls-verify=false "oci:$work/oci:base" "docker://$base_ref"
    export DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port"
    base_args=("-p:ContainerBaseImage=$base_ref")
    ;;
  *) base_args=("-p:ContainerBaseImage=$base") ;;
esac

printf '\n%-16s %-52s %12s %12s  %s\n' service image compressed unpacked user
for dir in services/*/; do
  service="$(basename "$dir")"
  archive="$out/$service.tar"
  rm -f "$archive"
  dotnet publish "$dir" -c Release -r linux-x64 --self-contained true -t:PublishContainer \
    "${base_args[@]}" -p:ContainerImageTag="$tag" -p:ContainerArchiveOutputPath="$archive" \
    -nologo -v:q > "$out/$service.publish.log" 2>&1 \
    || { tail -30 "$out/$service.publish.log" >&2; echo "publish of $service failed (log: $out/$service.publish.log)" >&2; exit 1; }
  verify_archive "$archive" "$service" "$tag" "$(basename "$dir"/*.csproj .csproj)"
done
echo
echo "Tarballs in $out (base: ${base_ref:-$base})."
