// The newcomer's run, in the browser and over HTTP, for scripts/smoke-start.sh (which starts and
// stops the service; PORT is where it listens):
//   node scripts/smoke-newcomer.mjs pay <email>
//     a 25.00 donation paid in Debian's Chromium (playwright-core, headless) on the simulator's
//     checkout page; Pay must land on this service's thank-you page on PORT.
//   node scripts/smoke-newcomer.mjs refund <email> <staff email> <staff password>
//     the staff account signs in, refunds 10.00 of that donation, and the -1000 entry must reach
//     the ledger (polled through GET /api/supporters/:id).
// Every step has its own time limit and says which step failed; exit code 1 on any failure.
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers';
import { chromium } from 'playwright-core';

const { fetch, AbortSignal } = globalThis;

const port = process.env.PORT;
if (!port) fail('PORT is not set');
const base = `http://127.0.0.1:${port}`;
const [command, ...args] = process.argv.slice(2);

function fail(message) {
  console.error(`smoke-newcomer: ${message}`);
  process.exit(1);
}

async function http(method, path, { body, token, headers = {}, expect = [200] } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Calls `check` until it answers something, or fails naming `what` after `ms`. */
async function poll(what, ms, check) {
  const until = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function pay(email) {
  const donation = await http('POST', '/api/donations', {
    body: { amount: 2500, frequency: 'one_off', email, name: 'Smoke Test' },
    expect: [201],
  });
  console.log(`checkout page: ${donation.checkoutUrl}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(donation.checkoutUrl);
    await page.getByRole('button', { name: 'Pay' }).click();
    const thanks = new RegExp(`^http://localhost:${port}/checkout/complete\\?checkout=`);
    await page.waitForURL(thanks).catch(() => {
      throw new Error(`Pay did not land on this service's thank-you page (${thanks}): the browser is at ${page.url()}`);
    });
    const heading = page.getByRole('heading', { name: 'Thank you for your donation of $25.00' });
    await heading.waitFor().catch(async () => {
      const h1 = await page
        .locator('h1')
        .allTextContents()
        .catch(() => []);
      throw new Error(
        `the thank-you page at ${page.url()} does not say "Thank you for your donation of $25.00" (h1: ${JSON.stringify(h1)})`,
      );
    });
    console.log(`Chromium paid: ${page.url()} says "Thank you for your donation of $25.00"`);
  } finally {
    await browser.close();
  }
}

async function refund(email, staffEmail, password) {
  const login = await http('POST', '/api/auth/login', { body: { email: staffEmail, password } });
  if (login.passwordChangeRequired) throw new Error(`${staffEmail} must change a temporary password first`);
  const token = login.accessToken;
  const found = await http('GET', `/api/supporters?q=${encodeURIComponent(email)}`, { token });
  const list = Array.isArray(found) ? found : (found.results ?? found.items ?? found.supporters ?? []);
  const supporter = list.find((s) => s.email === email);
  if (!supporter) throw new Error(`no supporter ${email} found: ${JSON.stringify(found).slice(0, 300)}`);
  const record = () => http('GET', `/api/supporters/${supporter.id}`, { token });
  const payment = (await record()).payments.find((p) => p.kind === 'payment' && p.gross === 2500);
  if (!payment) throw new Error(`no 25.00 payment in the ledger for ${email}`);
  await http('POST', `/api/ledger-entries/${payment.id}/refund`, {
    token,
    headers: { 'idempotency-key': `smoke-${randomUUID()}` },
    body: { amount: 1000, reason: 'requested_by_customer' },
    expect: [200, 201, 202],
  });
  const entry = await poll('the -1000 refund entry in the ledger', 30_000, async () =>
    (await record()).payments.find((p) => p.reversesEntryId === payment.id && p.gross === -1000),
  );
  console.log(`partial refund reached the ledger: entry ${entry.id}, gross ${entry.gross} (${entry.kind})`);
}

const steps = { pay, refund };
if (!steps[command])
  fail(`unknown command ${command ?? '(none)'}: pay <email> | refund <email> <staff email> <password>`);
// The whole step's limit, whatever hangs (a browser that never starts, a request never answered).
setTimeout(() => fail(`${command} did not finish within 3 minutes`), 180_000);
steps[command](...args).then(
  () => process.exit(0),
  (err) => fail(`${command} failed: ${err instanceof Error ? err.message : String(err)}`),
);
