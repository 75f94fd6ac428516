#!/usr/bin/env bash
# Checks the README's quick start: `npm start` with no configuration serves /health, takes a
# one-off donation through the Stripe simulator's checkout page (Pay returns to the port the
# service listens on), creates a staff account with `npm run staff:create` while the service
# runs, and keeps both across a restart. PORT: a free port unless set (not 3000, so that the
# default PUBLIC_BASE_URL is seen to follow it).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
export PORT="$port"
base="http://127.0.0.1:${port}"
staff_password='smoke test passphrase'
data_dir="$(mktemp -d)"
log="$(mktemp)"
pid=""

# Each start runs in its own process group (setsid), so that stopping it also stops the node
# process that `npm start` spawned.
stop() {
  if [ -z "$pid" ]; then return 0; fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  # The whole group, not only npm: npm may exit while the service is still shutting down
  # (and holding the embedded database's lock); a restart must wait for it to let go.
  for _ in $(seq 1 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
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
# grep reads each whole answer (with -q it may stop early, curl then fails writing and pipefail ends the run).
curl -fsS "$base/health" | grep '"status":"ok"' >/dev/null
grep -q "NO REAL MONEY MOVES" "$log" || { echo "the simulator warning is missing"; exit 1; }
echo "health ok; simulator warning printed"

raised_before=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
created=$(curl -fsS -X POST "$base/api/donations" -H 'content-type: application/json' \
  -d '{"amount":2500,"frequency":"one_off","email":"smoke@example.com","name":"Smoke Test"}')
checkout_url=$(echo "$created" | json .checkoutUrl)
echo "checkout page: $checkout_url"
curl -fsS "$checkout_url" | grep 'Pay' >/dev/null
paid=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -X POST "$checkout_url/pay")
[ "${paid%% *}" = "303" ] || { echo "Pay answered $paid"; exit 1; }
case "${paid#* }" in
  "http://localhost:${port}/"*) echo "Pay returns to ${paid#* }" ;;
  *) echo "Pay returns to ${paid#* }, not to this service on port $port"; exit 1 ;;
esac

for _ in $(seq 1 60); do
  raised=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
  [ "$((raised - raised_before))" -eq 2500 ] && break
  sleep 0.5
done
[ "$((raised - raised_before))" -eq 2500 ] || { echo "donation not recorded: raised $raised"; tail -50 "$log"; exit 1; }
echo "donation recorded: raised $raised_before -> $raised"
# The no-configuration start shows the emails it would send at /dev/mailbox.
curl -fsS "$base/dev/mailbox" | grep 'Development mailbox' >/dev/null || { echo "no development mailbox at $base/dev/mailbox"; exit 1; }
echo "development mailbox at $base/dev/mailbox"

login() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"smoke.staff@example.org\",\"password\":\"$staff_password\"}"
}
# While the service runs on the embedded database: the command goes through the service.
env -u DATABASE_URL EMBEDDED_DB_DIR="$data_dir" STAFF_PASSWORD="$staff_password" \
  npm run --silent staff:create -- --email smoke.staff@example.org --name "Smoke Staff" --role phone >>"$log" 2>&1 \
  || { echo "staff:create failed:"; tail -20 "$log"; exit 1; }
[ "$(login)" = "200" ] || { echo "the staff account made while the service runs cannot sign in"; tail -20 "$log"; exit 1; }
curl -fsS "$base/health" | grep '"status":"ok"' >/dev/null || { echo "the service stopped answering after staff:create"; exit 1; }
echo "staff:create while the service runs: signs in"

stop
start node dist/apps/api/src/main.js
raised_after=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
[ "$raised_after" = "$raised" ] || { echo "restart lost money: $raised -> $raised_after"; exit 1; }
echo "restart kept the donation: raised $raised_after"
[ "$(login)" = "200" ] || { echo "restart lost the staff account"; exit 1; }
echo "restart kept the staff account"
echo "smoke: 1 passed, 0 failed"
