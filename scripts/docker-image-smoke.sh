#!/usr/bin/env bash
# Builds the image and runs it for real without compose: containers of that one image on the
# host's network, against a PostgreSQL database of their own and a private redis-server with
# append-only persistence, each started with the command and health check its service has
# in docker/compose.yaml (read from that file by the image's own Python). A dossier is
# received through the API container, a generated scan digitized by a digitize worker; then
# a worker is stopped by `docker stop` in the middle of a job and must finish it and exit 0.
# Exit 0 only if both scans were digitized. Everything it made (containers, volumes, the
# database, redis-server and its files) is removed on exit; the image is kept.
#
# Needs a Docker daemon, the base image debian:bookworm-slim (pulled, or made by
# scripts/docker-base-offline.sh), PostgreSQL reachable as SOHOA_SMOKE_PG (default: user
# postgres on 127.0.0.1:5432, allowed to create a database), redis-server on the host and
# free ports 8000 (the API, as in compose.yaml) and SOHOA_SMOKE_REDIS_PORT (6390).
# The host's own extra CA certificates (Debian's /usr/local/share/ca-certificates, or the
# PEM file SOHOA_EXTRA_CA_CERTS_FILE) are handed to the build stage for pip, behind a proxy
# that intercepts HTTPS; they do not reach the image. SOHOA_SMOKE_NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
image="${SOHOA_IMAGE:-sohoa:latest}"
pg="${SOHOA_SMOKE_PG:-postgresql://postgres@127.0.0.1:5432}"
redis_port="${SOHOA_SMOKE_REDIS_PORT:-6390}"
tag="sohoa-smoke-$$"
db="sohoa_smoke_$$"
tmp=$(mktemp -d "/tmp/$tag.XXXXXX")
redis_pid=""
log() { echo "smoke: $*"; }

cleanup() {
  local containers
  containers=$(docker ps -aq --filter "label=$tag" 2>/dev/null || true)
  # shellcheck disable=SC2086  # one id per word
  [[ -z "$containers" ]] || docker rm -f $containers >/dev/null 2>&1 || true
  for v in blobs archive archive-replica; do docker volume rm "$tag-$v" >/dev/null 2>&1 || true; done
  dropdb --if-exists -d "$pg/postgres" "$db" >/dev/null 2>&1 || dropdb --if-exists "$db" \
    --maintenance-db="$pg/postgres" >/dev/null 2>&1 || true
  if [[ -n "$redis_pid" ]]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [[ "${SOHOA_SMOKE_NO_BUILD:-0}" != 1 ]]; then
  ca_args=()
  ca_file="${SOHOA_EXTRA_CA_CERTS_FILE:-}"
  if [[ -n "$ca_file" ]]; then
    ca_args=(--build-arg "EXTRA_CA_CERTS=$(cat "$ca_file")")
  elif compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    ca_args=(--build-arg "EXTRA_CA_CERTS=$(cat /usr/local/share/ca-certificates/*.crt)")
  fi
  start=$(date +%s)
  if ! docker build --network host -f docker/Dockerfile -t "$image" "${ca_args[@]}" . \
      >"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" >&2
    log "the image did not build" >&2
    exit 1
  fi
  log "image $image built in $(( $(date +%s) - start )) s: $(docker image ls --format '{{.Size}}' "$image")"
fi

# What docker/compose.yaml runs: each service's command and health check, as bash arrays
# (cmd_api=(...), health_api=(...)), read by the image's own Python and PyYAML.
defs=$(docker run --rm -v "$PWD/docker/compose.yaml:/compose.yaml:ro" "$image" python -c '
import shlex, yaml
services = yaml.safe_load(open("/compose.yaml"))["services"]
for name in ("migrate", "api", "worker-digitize", "worker-sign", "worker-archive", "worker-maintenance"):
    service, var = services[name], name.replace("-", "_")
    health = service.get("healthcheck", {}).get("test", [])
    health = health[1:] if health[:1] == ["CMD"] else health
    print(f"cmd_{var}=({shlex.join(service['"'"'command'"'"'])})")
    print(f"health_{var}=({shlex.join(health)})")
')
eval "$defs"

if (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
  log "port 8000 is taken: the api container (compose.yaml's command) needs it" >&2
  exit 1
fi

# The services compose.yaml takes from images of their own, here from the host.
createdb -d "$pg/postgres" "$db" 2>/dev/null || createdb --maintenance-db="$pg/postgres" "$db"
redis-server --port "$redis_port" --bind 127.0.0.1 --appendonly yes --appendfsync everysec \
  --dir "$tmp" --save "" >"$tmp/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
log "database $db, redis-server :$redis_port (appendonly yes, pid $redis_pid)"

mkdir -m 755 "$tmp/keys" && echo "smoke-only" >"$tmp/sign_passphrase"
for v in blobs archive archive-replica; do docker volume create "$tag-$v" >/dev/null; done
# compose.yaml's x-sohoa environment, with the database and Redis of this run.
common=(--network host --init --label "$tag"
  -e "SOHOA_DATABASE_URL=${pg/postgresql:/postgresql+psycopg:}/$db"
  -e "SOHOA_REDIS_URL=redis://127.0.0.1:$redis_port/0"
  -e SOHOA_BLOB_DIR=/blobs -e SOHOA_ARCHIVE_DIR=/archive
  -e SOHOA_ARCHIVE_REPLICA_DIR=/archive-replica -e SOHOA_AGENCY_CODE=000.00.00.H00
  -e SOHOA_WORKER_STOP_GRACE=240
  -v "$tag-blobs:/blobs" -v "$tag-archive:/archive" -v "$tag-archive-replica:/archive-replica")

# start NAME SERVICE: a detached container running SERVICE's command, with its health check.
start() {
  local name="$1" var="${2//-/_}" extra=()
  local -n cmd="cmd_$var" health="health_$var"
  [[ "$2" != worker-sign ]] || extra=(-e SOHOA_SIGNING_KEY_DIR=/keys
    -e SOHOA_SIGN_PASSPHRASE_FILE=/run/secrets/sign_passphrase -v "$tmp/keys:/keys:ro"
    -v "$tmp/sign_passphrase:/run/secrets/sign_passphrase:ro")
  docker run -d --name "$tag-$name" --hostname "$tag-$name" "${common[@]}" "${extra[@]}" \
    --health-cmd "$(printf '%q ' "${health[@]}")" --health-interval 3s --health-timeout 20s \
    --health-retries 3 "$image" "${cmd[@]}" >/dev/null
}

log "migrate: ${cmd_migrate[*]}"
docker run --rm "${common[@]}" "$image" "${cmd_migrate[@]}"
start api api
start digitize-1 worker-digitize
start digitize-2 worker-digitize
start sign worker-sign
start archive worker-archive
start maintenance worker-maintenance
containers=(api digitize-1 digitize-2 sign archive maintenance)

# Docker's own health checks (compose.yaml's commands) must all report healthy.
for _ in $(seq 1 100); do
  states=$(for c in "${containers[@]}"; do
    docker inspect -f '{{.State.Health.Status}}' "$tag-$c"; done | sort | uniq -c | xargs)
  [[ "$states" == "${#containers[@]} healthy" ]] && break
  if docker ps -a --filter "label=$tag" --filter status=exited -q | grep -q .; then break; fi
  sleep 3
done
docker ps -a --filter "label=$tag" --format 'table {{.Names}}\t{{.Status}}\t{{.Command}}'
if [[ "$states" != "${#containers[@]} healthy" ]]; then
  log "not every container became healthy: $states" >&2
  for c in "${containers[@]}"; do docker logs --tail 20 "$tag-$c" >&2 2>&1 || true; done
  exit 1
fi
log "health checks pass: api \`${health_api[*]}\`, workers \`${health_worker_digitize[*]}\`"
docker exec "$tag-digitize-1" "${health_worker_digitize[@]}" && log "exec \`${health_worker_digitize[*]}\` in digitize-1: exit 0"

run() { docker exec "$tag-api" "$@"; }
digitized() {  # CODE: whether every document of the dossier is digitized
  run sohoa dossier show "$1" --json | python3 -c '
import json, sys
docs = json.load(sys.stdin).get("documents", [])
sys.exit(0 if docs and all(d.get("status") == "digitized" for d in docs) else 1)'
}
wait_digitized() {  # CODE SECONDS
  local deadline=$(( $(date +%s) + $2 ))
  while (( $(date +%s) < deadline )); do digitized "$1" && return 0; sleep 2; done
  return 1
}

code=$(run sohoa dossier new --procedure 1.001193 --applicant "Nguyễn Văn An")
run sohoa samples --out /tmp/smoke >/dev/null
scan=$(run sh -c 'ls /tmp/smoke/*.jpg | head -n 1')
start=$(date +%s)
run sohoa dossier add "$code" "$scan" >/dev/null
log "dossier $code: $scan added through the api container"
if ! wait_digitized "$code" 600; then
  log "$code was not digitized within 10 minutes" >&2
  docker logs --tail 50 "$tag-digitize-1" >&2 2>&1; docker logs --tail 50 "$tag-digitize-2" >&2 2>&1
  exit 1
fi
log "$code digitized in $(( $(date +%s) - start )) s:"
run sohoa dossier show "$code" --json | python3 -c '
import json, sys
for d in json.load(sys.stdin)["documents"]:
    kind = "PDF/A-2b" if d["pdfa"] else "PDF"
    print("  document", d["id"], d["file"] + ":", d["status"], d["document_type"], d["pages"], "page(s)", kind)'

# Graceful stop: a worker given SIGTERM in the middle of a job finishes it, then exits 0.
code2=$(run sohoa dossier new --procedure 1.001193 --applicant "Trần Thị Bình")
# shellcheck disable=SC2046  # one scan per word
run sohoa dossier add "$code2" $(run sh -c 'ls /tmp/smoke/0[2-4]-*') >/dev/null
busy="" job=""
for _ in $(seq 1 60); do  # rq's own record: a digitize worker with a job in hand
  read -r busy job < <(run python -c '
import os, redis
from rq import Worker
from rq.serializers import JSONSerializer
conn = redis.Redis.from_url(os.environ["SOHOA_REDIS_URL"])
for worker in Worker.all(connection=conn, serializer=JSONSerializer):
    job = worker.get_current_job_id()
    if job and "-digitize-" in (worker.hostname or ""):
        print("-".join(worker.hostname.split("-")[-2:]), job)
        break
') || true
  [[ -z "$busy" ]] || break
  sleep 0.3
done
if [[ -z "$busy" ]]; then
  log "no digitize worker was seen with a job in hand; graceful stop not exercised" >&2
  exit 1
fi
log "docker stop $busy while it works on job $job ($code2)"
docker stop -t 120 "$tag-$busy" >/dev/null
log "$busy exited with $(docker inspect -f '{{.State.ExitCode}}' "$tag-$busy"); its last lines:"
docker logs --tail 6 "$tag-$busy" 2>&1 | sed 's/^/  /'
if ! wait_digitized "$code2" 600; then
  log "$code2 was not digitized after $busy stopped" >&2
  exit 1
fi
[[ "$(docker inspect -f '{{.State.ExitCode}}' "$tag-$busy")" == 0 ]] || { log "$busy did not exit 0" >&2; exit 1; }
log "$code2 digitized: $(run sohoa dossier show "$code2" --json | python3 -c '
import json, sys; print(len(json.load(sys.stdin)["documents"]), "documents")')"
log "ok: image $image ran migrate, api and every worker kind; both dossiers digitized"
