#!/usr/bin/env bash
# Checks the README's quick start, as a newcomer runs it: `npm start` with no configuration serves
# /health; a staff account (finance) made with `npm run staff:create` while the service runs signs
# in; a 25.00 donation is paid in a real browser (Chromium through playwright-core) on the Stripe
# simulator's checkout page and lands on this service's thank-you page on its own port; after a
# restart the donation and the account are still there, and a partial staff refund of 10.00
# reaches the ledger (scripts/smoke-newcomer.mjs does the browser and staff API steps).
# PORT: a free port unless set (not 3000, so that the default PUBLIC_BASE_URL is seen to follow
# it); the in-process simulator gets a free port too (STRIPE_SIMULATOR_PORT), kept across the
# restart, so that nothing else on the machine clashes with this run. The service is stopped at
# the end, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port="${PORT:-$(free_port)}"
export PORT="$port"
export STRIPE_SIMULATOR_PORT="${STRIPE_SIMULATOR_PORT:-$(free_port)}"
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
  local rc=$?
  stop
  if [ "$rc" -ne 0 ]; then echo "smoke failed (exit $rc); the service's log ends:"; tail -40 "$log" || true; fi
  rm -rf "$data_dir" "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Bounded steps: a hung command fails the run with its name instead of holding CI.
step() {
  local limit="$1" name="$2" rc=0
  shift 2
  timeout --kill-after=10 "$limit" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "step timed out after ${limit}s: $name"; return 1; fi
  if [ "$rc" -ne 0 ]; then echo "step failed (exit $rc): $name"; return 1; fi
}
# No request may hang the run either.
curl() { command curl --max-time 30 "$@"; }

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
# In a real browser: Pay lands on this service's thank-you page, on this port.
step 240 "a 25.00 donation paid in Chromium" node scripts/smoke-newcomer.mjs pay smoke@example.com

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
step 180 "npm run staff:create while the service runs" \
  env -u DATABASE_URL EMBEDDED_DB_DIR="$data_dir" STAFF_PASSWORD="$staff_password" \
  npm run --silent staff:create -- --email smoke.staff@example.org --name "Smoke Staff" --role finance >>"$log" 2>&1 \
  || { echo "staff:create failed:"; tail -20 "$log"; exit 1; }
[ "$(login)" = "200" ] || { echo "the staff account made while the service runs cannot sign in"; tail -20 "$log"; exit 1; }
curl -fsS "$base/health" | grep '"status":"ok"' >/dev/null || { echo "the service stopped answering after staff:create"; exit 1; }
echo "staff:create (finance) while the service runs: signs in"
access_token=$(curl -fsS -X POST "$base/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"smoke.staff@example.org\",\"password\":\"$staff_password\"}" | json .accessToken)

stop
start node dist/apps/api/src/main.js
raised_after=$(curl -fsS "$base/api/campaigns/current/progress" | json .raised)
[ "$raised_after" = "$raised" ] || { echo "restart lost money: $raised -> $raised_after"; exit 1; }
echo "restart kept the donation: raised $raised_after"
[ "$(login)" = "200" ] || { echo "restart lost the staff account"; exit 1; }
echo "restart kept the staff account"
# The signing secret is kept in the data folder: a token issued before the restart still works.
token_status=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $access_token" "$base/api/supporters?q=smoke@example.com")
[ "$token_status" = "200" ] || { echo "a staff token issued before the restart answers $token_status after it"; exit 1; }
echo "a staff token issued before the restart still works"
step 120 "a partial staff refund of 10.00 after the restart" \
  node scripts/smoke-newcomer.mjs refund smoke@example.com smoke.staff@example.org "$staff_password"
echo "smoke: 1 passed, 0 failed"
