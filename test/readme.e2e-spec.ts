import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * The README is what a newcomer follows: the fields it names must be the ones the service
 * answers and takes, and the steps it shows must work.
 */
const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** The README's endpoint table row for a path (the line that starts with that endpoint). */
function row(startsWith: string): string {
  const line = README.split('\n').find((l) => l.startsWith(`| \`${startsWith}`));
  if (!line) throw new Error(`README has no row for ${startsWith}`);
  return line;
}

describe('README accuracy', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await signedIn(t, 'finance');
  });
  afterAll(() => t?.close());

  it('names every field the summary report answers (totals, not total)', async () => {
    const res = await t.http
      .get('/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=month')
      .set('Authorization', finance)
      .expect(200);
    const summary = row('GET /api/reports/summary');
    for (const key of [
      ...Object.keys(res.body),
      ...Object.keys(res.body.totals),
      ...Object.keys(res.body.periods[0]),
    ]) {
      expect({ key, documented: summary.includes(key) }).toEqual({ key, documented: true });
    }
    expect(summary).not.toMatch(/`total`/);
  });

  it('documents every field and reason value the staff refund takes', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    const body = doc.paths['/api/ledger-entries/{id}/refund'].post.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    const refund = row('POST /api/ledger-entries/:id/refund');
    for (const field of Object.keys(schema.properties)) {
      expect({ field, documented: refund.includes(field) }).toEqual({ field, documented: true });
    }
    for (const reason of schema.properties.reason.enum) {
      expect({ reason, documented: refund.includes(`\`${reason}\``) }).toEqual({ reason, documented: true });
    }
  });

  it('shows how to make a payout on the simulator, and that command works', async () => {
    const command = README.split('\n').find((l) => l.includes('/_simulator/payouts') && l.includes('curl'));
    expect(command).toBeDefined();
    const body = /-d '([^']+)'/.exec(command!)![1];
    await paidDonation(t, 2500);
    const res = await fetch(`${t.sim.url}/_simulator/payouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const payout = (await res.json()) as { id: string };
    expect(payout.id).toMatch(/^po_/);
    const rec = await t.http
      .get(`/api/reports/reconciliation?payout=${payout.id}`)
      .set('Authorization', finance)
      .expect(200);
    expect(JSON.stringify(rec.body)).toContain(payout.id);
  });
});
