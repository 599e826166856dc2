#!/usr/bin/env bash
# Container smoke test: builds the ChatWeb image from the Dockerfile with podman, runs it and uses it
# as a newcomer would: /healthz and /readyz answer, a user registers over HTTP, signs in over TCP on
# the published gateway port and says something; then the container is stopped and a new one is
# started on the same volume, and the account, the admin password and the message must still be there;
# last, run with -it, the server console must take "shutdown".
#
# No Docker engine runs on our machines and no registry image can be pulled, so the base images are
# made here (debootstrap + podman import, with this machine's dotnet) and cached between runs. Every
# flag that only this kind of machine needs (chroot isolation, vfs storage, runc with cgroupfs, the
# machine's certificate authorities in the build, NuGet's offline revocation mode) lives in this
# script, never in the Dockerfile.
#
# Runs as root (through sudo if needed). Ends with "container smoke: passed" or "container smoke:
# failed" and a matching exit code. It never skips: a machine where podman cannot run fails it.
#
# Knobs (environment): CHATWEB_SMOKE_STATE (cache folder, default /var/lib/chatweb-smoke),
# CHATWEB_SMOKE_MIRROR (Debian mirror for the base images), CHATWEB_SMOKE_STORAGE_DRIVER (default vfs).
set -Eeuo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then exec sudo --preserve-env=PATH,CHATWEB_SMOKE_STATE,CHATWEB_SMOKE_MIRROR,CHATWEB_SMOKE_STORAGE_DRIVER "$0" "$@"; fi

STATE=${CHATWEB_SMOKE_STATE:-/var/lib/chatweb-smoke}
MIRROR=${CHATWEB_SMOKE_MIRROR:-http://deb.debian.org/debian}
DRIVER=${CHATWEB_SMOKE_STORAGE_DRIVER:-vfs}
SUITE=bookworm
# Bump when what goes into the base images changes, so cached ones are made again.
BASE_RECIPE=1
IMAGE=localhost/chatweb:smoke
RUN_ID="chatweb-smoke-$$"
CONTAINER=$RUN_ID
VOLUME=$RUN_ID-data
started=$SECONDS

step() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - started))"; }
die() { echo "container smoke: ERROR: $*" >&2; exit 1; }

# The last line is the one CI counts, whatever happened before it.
finish() {
  local rc=$?
  trap - EXIT ERR
  if [ "$rc" -ne 0 ] && podman container exists "$CONTAINER" 2>/dev/null; then
    echo "--- last lines of the container's log ---" >&2
    podman logs --tail 40 "$CONTAINER" >&2 2>&1 || true
  fi
  podman rm -f -t 5 "$CONTAINER" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  echo "container smoke: took $((SECONDS - started)) s"
  if [ "$rc" -eq 0 ]; then echo "container smoke: passed"; else echo "container smoke: failed"; fi
  exit "$rc"
}
trap finish EXIT
trap 'echo "container smoke: ERROR: line $LINENO: \"$BASH_COMMAND\" exited with $?" >&2' ERR

# ---------------------------------------------------------------------------------------------------
step "tools"
# type -P looks on PATH only: a shell function of the same name (the podman wrapper below) must never
# pass for the installed tool, or a fresh machine never gets podman installed.
missing=()
for tool in podman:podman runc:runc debootstrap:debootstrap curl:curl python3:python3 flock:util-linux script:bsdutils; do
  type -P "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from Debian: ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
fi
command -v dotnet >/dev/null || die "dotnet is not installed: the base images carry this machine's dotnet"
# Every podman call gets this machine's settings: its own storage (so it never fights another podman
# setup over the storage driver), vfs (no overlay mounts needed), runc and cgroupfs (no systemd here),
# events in a file (no journald).
# fd 9 (the run lock) is closed for podman, or a container's conmon would keep holding the lock.
PODMAN=(podman --root "$STATE/storage-$DRIVER" --runroot "/run/chatweb-smoke-$DRIVER" --storage-driver "$DRIVER"
  --runtime runc --cgroup-manager cgroupfs --events-backend file)
podman() { command "${PODMAN[@]}" "$@" 9>&-; }

mkdir -p "$STATE"
# One run at a time on a machine: the build is heavy, and a run tidies the image store when it is done.
exec 9>"$STATE/run.lock"
flock -n 9 || { echo "waiting for another container smoke run to finish"; flock 9; }
# This run's logs (build, debootstrap, TCP conversations, console) stay here until the next run.
WORK=$STATE/last-run
rm -rf "$WORK" && mkdir -p "$WORK"
podman info >"$WORK/podman-info.txt" 2>&1 || { cat "$WORK/podman-info.txt" >&2; die "podman cannot run on this machine (see above)"; }

# ---------------------------------------------------------------------------------------------------
step "base images"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --list-sdks | sort -V | tail -1 | cut -d' ' -f1)
aspnet_version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
netcore_version=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -1)
[ -n "$sdk_version" ] && [ -n "$aspnet_version" ] || die "no .NET SDK or ASP.NET Core runtime under $dotnet_root"
DEBIAN_BASE=localhost/chatweb-base/debian:$SUITE-r$BASE_RECIPE
SDK_BASE=localhost/chatweb-base/sdk:$sdk_version-$SUITE-r$BASE_RECIPE
RUNTIME_BASE=localhost/chatweb-base/aspnet:$aspnet_version-$SUITE-r$BASE_RECIPE

# A minimal Debian with what any .NET app on it needs: ICU, OpenSSL and the CA bundle.
make_debian() {
  local rootfs
  rootfs=$(mktemp -d "$STATE/rootfs.XXXXXX")
  chmod 755 "$rootfs"  # it becomes the image's /: mktemp's 0700 would lock every non-root user out
  echo "making $DEBIAN_BASE (debootstrap $SUITE from $MIRROR, about a minute)"
  mkdir -p "$STATE/debs"
  debootstrap --variant=minbase --cache-dir="$STATE/debs" --include=libicu72,libssl3,ca-certificates "$SUITE" "$rootfs" "$MIRROR" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; rm -rf "$rootfs"; die "debootstrap failed"; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  # An imported file system has no configuration: give it what a base image normally has.
  tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_BASE" >/dev/null
  rm -rf "$rootfs"
}

# make_dotnet_base TAG CONTAINERFILE_LINES: the Debian base plus this machine's dotnet (the build context
# is the dotnet folder), squashed into one layer.
make_dotnet_base() {
  echo "making $1"
  { echo "FROM $DEBIAN_BASE"; echo "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1"; echo "$2"
    echo "RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && dotnet --info >/dev/null"; } >"$WORK/Containerfile.base"
  podman build --isolation chroot --pull=never --squash -f "$WORK/Containerfile.base" -t "$1" "$dotnet_root" \
    >"$WORK/base-build.log" 2>&1 || { tail -30 "$WORK/base-build.log" >&2; die "could not make $1"; }
}

podman image exists "$DEBIAN_BASE" || make_debian
# The run image: only the ASP.NET Core runtime.
podman image exists "$RUNTIME_BASE" || make_dotnet_base "$RUNTIME_BASE" "\
COPY dotnet /usr/share/dotnet/
COPY host /usr/share/dotnet/host/
COPY shared/Microsoft.NETCore.App/$netcore_version /usr/share/dotnet/shared/Microsoft.NETCore.App/$netcore_version/
COPY shared/Microsoft.AspNetCore.App/$aspnet_version /usr/share/dotnet/shared/Microsoft.AspNetCore.App/$aspnet_version/"
# The build image: the whole SDK, and node with npm from Debian (apt resolves npm's many dependencies,
# which debootstrap --include cannot).
podman image exists "$SDK_BASE" || make_dotnet_base "$SDK_BASE" "\
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . /usr/share/dotnet/"
echo "using $SDK_BASE and $RUNTIME_BASE"

# ---------------------------------------------------------------------------------------------------
step "build $IMAGE"
# chroot isolation: no nested namespaces needed. The machine's CAs are mounted so RUN steps trust the
# TLS interception in front of the registries; docker format keeps the HEALTHCHECK (OCI has no field).
build_image() {
  podman build --isolation chroot --format docker --pull=never --layers \
    -v /etc/ssl/certs:/etc/ssl/certs:ro \
    --build-arg SDK_IMAGE="$SDK_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
    --build-arg NUGET_CERT_REVOCATION_MODE=offline \
    -t "$IMAGE" . 2>&1 | tee "$WORK/build.log" | grep --line-buffered -E 'STEP [0-9]+/[0-9]+:|^--> '
  return "${PIPESTATUS[0]}"
}
build_image || { tail -40 "$WORK/build.log" >&2; die "podman build failed (see above)"; }

# vfs keeps every layer as a full copy of the file system (over a GB for the SDK stage): keep the layers
# of this build as the cache for the next one and drop those of older builds, so the disk stays bounded.
keep=" $(podman image inspect --format '{{.Id}}' "$IMAGE" "$DEBIAN_BASE" "$SDK_BASE" "$RUNTIME_BASE" | tr '\n' ' ') "
keep+=" $(grep -oE '^--> (Using cache )?[0-9a-f]{11,}' "$WORK/build.log" | grep -oE '[0-9a-f]{11,}$' | tr '\n' ' ' || true) "
for _ in 1 2 3; do  # an image that is another's parent goes once its child has gone
  for id in $(podman images --all --quiet --no-trunc | sed 's/^sha256://' | sort -u); do
    case "$keep" in *" ${id:0:11}"*) ;; *) podman rmi "$id" >/dev/null 2>&1 || true ;; esac
  done
done

podman image inspect --format '{{.Config.Healthcheck}}' "$IMAGE" | grep -q healthz || die "the image has no HEALTHCHECK on /healthz"

# ---------------------------------------------------------------------------------------------------
ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
USER_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)
USER_NAME=smoker
MESSAGE="hello from the container smoke test $RANDOM"
podman volume create "$VOLUME" >/dev/null

# start_container: a new container on the volume, ports published on loopback only (ports picked by podman).
start_container() {
  podman run -d --name "$CONTAINER" \
    --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
    -p 127.0.0.1::8080 -p 127.0.0.1::5555 \
    -v "$VOLUME:/data" -e Admin__Password="$ADMIN_PASSWORD" \
    "$IMAGE" >/dev/null 2>>"$WORK/run.log" || { cat "$WORK/run.log" >&2; die "podman could not start the container"; }
  # (run.log also holds podman's complaint that there is no systemd for healthcheck timers: expected here,
  # the HEALTHCHECK is run by hand below.)
  HTTP="http://$(podman port "$CONTAINER" 8080/tcp)"
  TCP_PORT=$(podman port "$CONTAINER" 5555/tcp | sed 's/.*://')
  local deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "$HTTP/healthz" >/dev/null 2>&1; do
    [ "$(podman inspect --format '{{.State.Running}}' "$CONTAINER")" = true ] || die "the container stopped while starting"
    [ $SECONDS -lt $deadline ] || die "/healthz did not answer within 60 s at $HTTP"
    sleep 0.5
  done
  echo "container up: web $HTTP, gateway 127.0.0.1:$TCP_PORT"
  curl -fsS --max-time 10 "$HTTP/readyz" >/dev/null || die "/readyz is not 200: $(curl -sS "$HTTP/readyz")"
  podman healthcheck run "$CONTAINER" >/dev/null || die "the image's HEALTHCHECK says unhealthy"
  [ "$(podman exec "$CONTAINER" id -u)" != 0 ] || die "the server runs as root inside the container"
}

# http_post PATH JSON: prints the status code; the body goes to $WORK/body.
http_post() {
  curl -sS --max-time 10 -o "$WORK/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$HTTP$1"
}

# token_for NAME PASSWORD: an access token must be issued.
token_for() {
  local status
  status=$(http_post /api/account/token "{\"userName\":\"$1\",\"password\":\"$2\"}")
  [ "$status" = 200 ] || die "POST /api/account/token for $1 answered $status: $(cat "$WORK/body")"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["accessToken"]' "$WORK/body" || die "no accessToken for $1"
}

# tcp STEPS: a conversation with the gateway (see scripts/tcp-dialog.py).
tcp() {
  echo "--- $(date -u +%T) 127.0.0.1:$TCP_PORT" >>"$WORK/tcp.log"
  python3 scripts/tcp-dialog.py 127.0.0.1 "$TCP_PORT" 15 2>>"$WORK/tcp.log" || { cat "$WORK/tcp.log" >&2; return 1; }
}

# ---------------------------------------------------------------------------------------------------
step "first container"
start_container
status=$(http_post /api/account/register "{\"userName\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\"}")
[ "$status" = 201 ] || die "POST /api/account/register answered $status: $(cat "$WORK/body")"
token_for "$USER_NAME" "$USER_PASSWORD"
token_for admin "$ADMIN_PASSWORD"
# The pages render, and the SignalR browser client that the build fetched from npm is in the image.
curl -fsS --max-time 10 -o /dev/null "$HTTP/login" || die "the login page does not load"
signalr_bytes=$(curl -fsS --max-time 10 "$HTTP/lib/signalr.min.js" | wc -c) || signalr_bytes=0
[ "$signalr_bytes" -gt 10000 ] || die "lib/signalr.min.js is missing from the image ($signalr_bytes bytes)"
tcp <<EOF || die "signing in over TCP and sending a message failed (conversation above)"
expect Enter your name:
send $USER_NAME
expect Hello again, $USER_NAME! Enter your password:
send $USER_PASSWORD
expect Welcome( back)?, $USER_NAME!
expect Session token: \S+
send $MESSAGE
send exit
EOF
echo "signed in over TCP as $USER_NAME and said: $MESSAGE"

# ---------------------------------------------------------------------------------------------------
step "replace the container, keep the volume"
podman stop -t 30 "$CONTAINER" >/dev/null 2>>"$WORK/run.log"
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")
[ "$exit_code" = 0 ] || die "the server did not shut down cleanly on SIGTERM (exit code $exit_code)"
history_dir="$(podman volume inspect --format '{{.Mountpoint}}' "$VOLUME")/history"
grep -qF "$MESSAGE" "$history_dir"/history-*.csv 2>/dev/null || die "the message is not in the history files in the volume"
podman rm "$CONTAINER" >/dev/null 2>>"$WORK/run.log"
start_container
token_for "$USER_NAME" "$USER_PASSWORD"
token_for admin "$ADMIN_PASSWORD"
tcp <<EOF || die "after the restart, signing in over TCP or finding the message in the history failed (conversation above)"
expect Enter your name:
send $USER_NAME
expect Hello again, $USER_NAME! Enter your password:
send $USER_PASSWORD
expect Welcome back, $USER_NAME!
expect $USER_NAME: $MESSAGE
send exit
EOF
echo "after the restart $USER_NAME still signs in and the history still holds the message"

# ---------------------------------------------------------------------------------------------------
step "server console with docker run -it"
# script(1) gives the container a terminal, as a person's would. Once the server answers, the operator
# types "shutdown": the server must stop by itself with exit code 0 (without a console it would run on).
podman rm -f -t 5 "$CONTAINER" >/dev/null 2>>"$WORK/run.log"
run_it=$(printf '%q ' "${PODMAN[@]}" run -it --name "$CONTAINER" --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
  -p 127.0.0.1::8080 -v "$VOLUME:/data" -e Admin__Password="$ADMIN_PASSWORD" "$IMAGE")
console_shutdown() {
  {
    for _ in $(seq 120); do
      port=$(podman port "$CONTAINER" 8080/tcp 2>/dev/null) && curl -fs --max-time 2 "http://$port/healthz" >/dev/null 2>&1 && break
      sleep 0.5
    done
    printf 'shutdown\r'
    # Keep the terminal open until the server has gone.
    for _ in $(seq 60); do
      [ "$(podman inspect --format '{{.State.Running}}' "$CONTAINER" 2>/dev/null)" = true ] || break
      sleep 0.5
    done
  } | SHELL=/bin/bash timeout 90 script -qfec "$run_it 9>&-" "$WORK/console.log" >/dev/null 2>&1
  return "${PIPESTATUS[1]}"
}
console_shutdown || die "with -it, the console's shutdown did not stop the server cleanly (exit $?; see $WORK/console.log)"
echo "the server console took 'shutdown' and the server exited with code 0"
