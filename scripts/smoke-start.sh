#!/usr/bin/env bash
# Checks the README's quick start: `npm start` with no configuration serves /health, takes a
# one-off donation through the Stripe simulator's checkout page, and keeps it across a restart.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-3000}"
base="http://127.0.0.1:${port}"
data_dir="$(mktemp -d)"
log="$(mktemp)"
pid=""

# Each start runs in its own process group (setsid), so that stopping it also stops the node
# process that `npm start` spawned.
stop() {
  if [ -z "$pid" ]; then return 0; fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

cleanup() {
  stop
  rm -rf "$data_dir"
}
trap cleanup EXIT

json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s)$1;console.log(v)})"; }

start() {
  if curl -fsS "$base/health" >/dev/null 2>&1; then echo "something already answers on $base"; return 1; fi
  # No DATABASE_URL, no Stripe key: embedded database + simulator. Only the data folder is
  # moved to a temporary one so that the check starts from nothing.
  setsid env -u DATABASE_URL -u STRIPE_SECRET_KEY -u STRIPE_WEBHOOK_SECRET EMBEDDED_DB_DIR="$data_dir" "$@" >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$base/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "service exited early:"; tail -50 "$log"; return 1; fi
    sleep 1
  done
  echo "service did not become healthy:"; tail -50 "$log"; return 1
}


start npm start
curl -fsS "$base/health" | grep -q '"status":"ok"'
grep -q "NO REAL MONEY MOVES" "$log" || { echo "the simulator warning is missing"; exit 1; }
echo "health ok; simulator warning printed"

raised_before=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
created=$(curl -fsS -X POST "$base/api/donations" -H 'content-type: application/json' \
  -d '{"amount":2500,"frequency":"one_off","email":"smoke@example.com","name":"Smoke Test"}')
checkout_url=$(echo "$created" | json .checkoutUrl)
echo "checkout page: $checkout_url"
curl -fsS "$checkout_url" | grep -q 'Pay'
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$checkout_url/pay")
[ "$status" = "303" ] || { echo "Pay answered $status"; exit 1; }

for _ in $(seq 1 60); do
  raised=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
  [ "$((raised - raised_before))" -eq 2500 ] && break
  sleep 0.5
done
[ "$((raised - raised_before))" -eq 2500 ] || { echo "donation not recorded: raised $raised"; tail -50 "$log"; exit 1; }
echo "donation recorded: raised $raised_before -> $raised"

stop
start node dist/apps/api/src/main.js
raised_after=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
[ "$raised_after" = "$raised" ] || { echo "restart lost money: $raised -> $raised_after"; exit 1; }
echo "restart kept the donation: raised $raised_after"
echo "smoke: 1 passed, 0 failed"
