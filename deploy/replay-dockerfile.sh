#!/usr/bin/env bash
# Replays deploy/Dockerfile's steps on a machine without a Docker daemon, to check them: the build stage's COPYs and
# npm commands in one directory, the runtime stage's COPYs in another, then `node dist/cli.js` started as an
# unprivileged user (nobody) and probed (liveliness, HEALTHCHECK command, a chat completion to the built-in mock
# model, the UI, an `otel` callback reaching a local OTLP receiver). It does not build or test the image itself:
# the base image, its npm version (10.x, which ignores `allowScripts`) and file ownership inside the image differ.
# Run as root from anywhere:  bash deploy/replay-dockerfile.sh   (WORK=dir to choose the scratch dir, PORT=n;
# REUSE_BUILD=1 with an earlier WORK skips the build stage)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/sluice-replay.XXXXXX)}
PORT=${PORT:-4077}
OTLP_PORT=$((PORT + 1))
chmod 755 "$WORK"
export npm_config_cache="$WORK/npm-cache" # `npm cache clean --force` below must not empty the machine's cache
echo "replay in $WORK"
: >"$WORK/sluice.log"

# ---- build stage: COPY package.json package-lock.json tsconfig*.json scripts src ui (committed files only, so no
# node_modules or dist come along, as .dockerignore keeps them out), then the RUN line.
if [ "${REUSE_BUILD:-0}" = 1 ] && [ -d "$WORK/build/dist" ]; then echo "reusing $WORK/build"; else
mkdir -p "$WORK/build"
git -C "$ROOT" archive HEAD package.json package-lock.json tsconfig.json tsconfig.build.json scripts src ui | tar -x -C "$WORK/build"
(
  cd "$WORK/build"
  npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force
)
fi

# ---- runtime stage: COPY --chown=node:node package.json node_modules dist; mkdir data; USER (here: nobody).
rm -rf "$WORK/runtime" && mkdir -p "$WORK/runtime/data"
cp -a "$WORK/build/package.json" "$WORK/build/node_modules" "$WORK/build/dist" "$WORK/runtime/"
chown -R nobody:nogroup "$WORK/runtime"
test -f "$WORK/runtime/dist/ui/index.html" || { echo "FAIL: dist/ui missing (UI not built)"; exit 1; }
if [ -d "$WORK/runtime/node_modules/typescript" ]; then echo "FAIL: dev dependencies left in node_modules"; exit 1; fi

# The runtime stage's user and ENV (its DATABASE_URL points into the replay's data dir instead of /app/data).
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups -- env -i PATH="$PATH" HOME=/nonexistent NODE_ENV=production MALLOC_ARENA_MAX=2
  PORT="$PORT" DATABASE_URL="sqlite:///$WORK/runtime/data/sluice.db" SLUICE_LOG_LEVEL=warn
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" OTEL_SERVICE_NAME=sluice-replay)

# A local OTLP/HTTP receiver that prints the span names it gets.
node -e "require('http').createServer((q,s)=>{let b='';q.on('data',c=>b+=c).on('end',()=>{try{for(const r of JSON.parse(b).resourceSpans)for(const x of r.scopeSpans)for(const p of x.spans)console.log('otlp span:',p.name)}catch(e){console.log('otlp: unparsable body')}s.end('{}')})}).listen($OTLP_PORT,'127.0.0.1')" >"$WORK/otlp.log" 2>&1 &
OTLP_PID=$!
printf 'litellm_settings:\n  callbacks: [otel]\nmodel_list:\n  - model_name: mock\n    litellm_params: {model: mock/mock}\n' >"$WORK/runtime/config.yaml"
chown nobody:nogroup "$WORK/runtime/config.yaml"

probe() {
  for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/health/liveliness" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "liveliness: $(curl -fsS "http://127.0.0.1:$PORT/health/liveliness")"
  (cd "$WORK/runtime" && "${AS_NOBODY[@]}" node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health/liveliness').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))") && echo "HEALTHCHECK command: exit 0"
  echo "chat: $(curl -fsS "http://127.0.0.1:$PORT/v1/chat/completions" -H 'content-type: application/json' -d '{"model":"mock","messages":[{"role":"user","content":"hi"}]}')"
  echo "ui: HTTP $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ui/")"
}

run() {
  # exec: $! is then node's own pid (setpriv and env exec too), so SIGTERM reaches the gateway.
  (cd "$WORK/runtime" && exec "${AS_NOBODY[@]}" node --max-semi-space-size=2 dist/cli.js "$@") >>"$WORK/sluice.log" 2>&1 &
  local pid=$!
  sleep 0.5
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: sluice exited at start-up"; cat "$WORK/sluice.log"; exit 1; }
  probe
  kill -TERM "$pid"
  wait "$pid" || true
}

echo "== no config (built-in mock model), as $(setpriv --reuid=nobody --regid=nogroup --clear-groups id -un)"
run
echo "== --config with callbacks: [otel]"
run --config "$WORK/runtime/config.yaml"
sleep 0.5
kill "$OTLP_PID"
cat "$WORK/otlp.log"
grep -q 'otlp span: chat' "$WORK/otlp.log" || { echo "FAIL: no span reached the OTLP receiver"; exit 1; }
echo "data dir: $(ls -l "$WORK/runtime/data" | tail -n +2)"
echo "OK"
