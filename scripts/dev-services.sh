#!/usr/bin/env bash
# Starts Azurite, the Cosmos DB server and maildev (SMTP + a web UI to read the mail the platform sends)
# on loopback unless something already listens on their ports. Data is kept under .local-data/
# (git-ignored), so a restart keeps it.
# Usage: scripts/dev-services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${SM_DATA_DIR:-.local-data}"
BLOB_PORT="${SM_BLOB_PORT:-10000}"
QUEUE_PORT="${SM_QUEUE_PORT:-10001}"
TABLE_PORT="${SM_TABLE_PORT:-10002}"
COSMOS_PORT="${SM_COSMOS_PORT:-8081}"
SMTP_PORT="${SM_SMTP_PORT:-1025}"
MAIL_WEB_PORT="${SM_MAIL_WEB_PORT:-1080}"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do
    if listening "$port"; then return 0; fi
    sleep 0.2
  done
  echo "$name did not start on 127.0.0.1:$port; see $DATA_DIR/$name.log" >&2
  exit 1
}

start() {
  if [ ! -d node_modules/azurite ] || [ ! -d node_modules/maildev ]; then npm ci --no-audit --no-fund --ignore-scripts; fi
  mkdir -p "$DATA_DIR/azurite"
  # One Node.js process per Azurite service (blob, queue, table): each serves one request at a time,
  # and the durable engine keeps queues and tables busy together. They share the data folder (each
  # service keeps its own files there).
  for service in blob queue table; do
    local port_var="${service^^}_PORT"
    local port="${!port_var}"
    if listening "$port"; then
      echo "Azurite $service already listening on 127.0.0.1:$port"
      continue
    fi
    nohup node "node_modules/azurite/dist/src/$service/main.js" --silent --skipApiVersionCheck --loose --disableProductStyleUrl --disableTelemetry \
      --location "$DATA_DIR/azurite" --"${service}Host" 127.0.0.1 --"${service}Port" "$port" >"$DATA_DIR/azurite-$service.log" 2>&1 &
    echo $! >"$DATA_DIR/azurite-$service.pid"
    wait_for "$port" "azurite-$service"
    echo "Azurite $service started on 127.0.0.1:$port"
  done
  if listening "$COSMOS_PORT"; then
    echo "Cosmos server already listening on 127.0.0.1:$COSMOS_PORT"
  else
    nohup node scripts/cosmos-server.cjs --host 127.0.0.1 --port "$COSMOS_PORT" --data "$DATA_DIR/cosmos/cosmos.json" \
      >"$DATA_DIR/cosmos.log" 2>&1 &
    echo $! >"$DATA_DIR/cosmos.pid"
    wait_for "$COSMOS_PORT" cosmos
    echo "Cosmos server started on https://127.0.0.1:$COSMOS_PORT/"
  fi
  if listening "$SMTP_PORT"; then
    echo "SMTP already listening on 127.0.0.1:$SMTP_PORT"
  else
    mkdir -p "$DATA_DIR/maildev"
    nohup node node_modules/maildev/dist/bin/maildev.js --ip 127.0.0.1 --smtp "$SMTP_PORT" --web-ip 127.0.0.1 --web "$MAIL_WEB_PORT" \
      --mail-directory "$DATA_DIR/maildev" --silent >"$DATA_DIR/maildev.log" 2>&1 &
    echo $! >"$DATA_DIR/maildev.pid"
    wait_for "$SMTP_PORT" maildev
    wait_for "$MAIL_WEB_PORT" maildev
    echo "maildev started: SMTP on 127.0.0.1:$SMTP_PORT, mail to read at http://127.0.0.1:$MAIL_WEB_PORT/index.html"
  fi
}

stop() {
  for name in azurite-blob azurite-queue azurite-table azurite cosmos maildev; do
    if [ -f "$DATA_DIR/$name.pid" ]; then
      kill "$(cat "$DATA_DIR/$name.pid")" 2>/dev/null || true
      rm -f "$DATA_DIR/$name.pid"
      echo "stopped $name"
    fi
  done
}

status() {
  for service in blob queue table; do
    local port_var="${service^^}_PORT"
    listening "${!port_var}" && echo "azurite $service: up" || echo "azurite $service: down"
  done
  listening "$COSMOS_PORT" && echo "cosmos: up" || echo "cosmos: down"
  listening "$SMTP_PORT" && echo "maildev: up (http://127.0.0.1:$MAIL_WEB_PORT/index.html)" || echo "maildev: down"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
