#!/usr/bin/env bash
# Builds deploy/Dockerfile into an image and checks the container: it runs as the unprivileged `node` user, answers
# /health/liveliness, a chat completion to the built-in mock model, /ui/ and /metrics, its HEALTHCHECK reports
# healthy, and `docker stop` (SIGTERM) drains and exits 0. Needs a Docker daemon; exits non-zero on the first failure.
# Run from anywhere:  bash deploy/docker-smoke.sh
#   IMAGE=sluice:smoke (tag to build)  PORT=4000 (published port)  SKIP_BUILD=1 (test an existing IMAGE)
#   DOCKER_NETWORK=host (build and run on the host network, for daemons started with --bridge=none)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${IMAGE:-sluice:smoke}
PORT=${PORT:-4000}
NAME=sluice-smoke-$$
NETWORK=${DOCKER_NETWORK:-}

fail() { echo "FAIL: $*" >&2; docker logs "$NAME" 2>&1 | tail -20 >&2 || true; docker rm -f "$NAME" >/dev/null 2>&1 || true; exit 1; }
ok() { echo "ok: $*"; }

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} docker build ${NETWORK:+--network "$NETWORK"} -f "$ROOT/deploy/Dockerfile" -t "$IMAGE" "$ROOT"
fi
ok "image $IMAGE: $(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"

if [[ "$NETWORK" == host ]]; then
  docker run -d --network host --name "$NAME" -e PORT="$PORT" "$IMAGE" --host 127.0.0.1 --port "$PORT" >/dev/null
else
  docker run -d -p "127.0.0.1:$PORT:4000" --name "$NAME" "$IMAGE" >/dev/null
fi
ORIGIN="http://127.0.0.1:$PORT"
for _ in $(seq 1 50); do curl -fs -o /dev/null "$ORIGIN/health/liveliness" && break; sleep 0.2; done

[[ "$(docker exec "$NAME" id -u)" != 0 ]] || fail "the container runs as root"
ok "runs as $(docker exec "$NAME" id -un) (uid $(docker exec "$NAME" id -u))"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/health/liveliness")" == 200 ]] || fail "/health/liveliness"
ok "/health/liveliness 200"
answer=$(curl -s -w '\n%{http_code}' "$ORIGIN/v1/chat/completions" -H 'content-type: application/json' -d '{"model":"mock","messages":[{"role":"user","content":"hi"}]}')
[[ "${answer##*$'\n'}" == 200 && "$answer" == *'"chat.completion"'* ]] || fail "chat completion: $answer"
ok "chat completion to the built-in mock model 200"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/ui/")" == 200 ]] || fail "/ui/"
ok "/ui/ 200"
metrics=$(curl -s "$ORIGIN/metrics" | grep -c '^litellm_' || true)
[[ "$metrics" -gt 0 ]] || fail "/metrics has no litellm_ series"
ok "/metrics: $metrics litellm_ lines"

# The HEALTHCHECK's first probe runs after its 30 s interval.
for _ in $(seq 1 60); do
  health=$(docker inspect --format '{{.State.Health.Status}}' "$NAME")
  [[ "$health" == healthy ]] && break
  [[ "$health" == unhealthy ]] && fail "HEALTHCHECK reports unhealthy"
  sleep 1
done
[[ "$health" == healthy ]] || fail "HEALTHCHECK still $health after 60 s"
ok "HEALTHCHECK healthy"

docker stop -t 40 "$NAME" >/dev/null
code=$(docker inspect --format '{{.State.ExitCode}}' "$NAME")
[[ "$code" == 0 ]] || fail "exit code $code after docker stop"
ok "docker stop: drained, exit 0"
docker rm "$NAME" >/dev/null
echo "PASS"
