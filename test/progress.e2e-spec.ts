import { DataSource } from 'typeorm';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { eventuallyEqual, ledgerRaised, simControl, startTestApp, TestContext, waitFor } from './support/test-app';

/** Reads server-sent events from a streaming response, one `progress` event at a time. */
async function* sseEvents(res: Response): AsyncGenerator<{ raised: number; supporters: number; slug: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.includes('event: progress')) continue;
      const data = block.split('\n').find((l) => l.startsWith('data: '))!;
      yield JSON.parse(data.slice(6));
    }
  }
}

describe('funding target progress: exact, cheap to read, live, embeddable, managed by admins', () => {
  let t: TestContext;
  let admin: string;
  let phone: string;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, phone, finance] = [await signedIn(t, 'admin'), await signedIn(t, 'phone'), await signedIn(t, 'finance')];
  });
  afterAll(async () => {
    await t?.close();
  });

  const progress = async (slug = 'current') => (await t.http.get(`/api/campaigns/${slug}/progress`).expect(200)).body;
  /** The truth, straight from the ledger: raised and distinct supporters with a counted payment. */
  const direct = async (slug = 'current') => {
    const [row] = await t.query<{ supporters: string }>(
      `SELECT COUNT(DISTINCT l.supporter_id) AS supporters FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id
        WHERE (c.slug = $1 OR ($1 = 'current' AND c.is_current)) AND l.kind = 'payment' AND l.type = ANY(c.counted_types) AND l.currency = c.currency`,
      [slug],
    );
    return { raised: await ledgerRaised(t, slug), supporters: Number(row.supporters) };
  };
  const shown = async (slug = 'current') => {
    const p = await progress(slug);
    return { raised: p.raised, supporters: p.supporters };
  };
  const cash = (amount: number, key: string, name = 'Cash Caller') =>
    t.http.post('/api/phone-donations').set('authorization', phone).set('idempotency-key', key).send({ supporter: { name }, amount, method: 'cash' }).expect(201);

  it('progress equals the ledger summed directly after donations, a refund, a reversal, a lost and a won dispute', async () => {
    const a = await paidDonation(t, 10000, { email: 'a@example.com' });
    await paidDonation(t, 2500, { email: 'b@example.com' });
    const c = await paidDonation(t, 4000, { email: 'c@example.com' });
    const d = await paidDonation(t, 3000, { email: 'd@example.com' });
    await eventuallyEqual(shown, await direct());
    expect((await direct()).raised).toBe(19500);

    await t.stripe.refunds.create({ charge: a.chargeId, amount: 1234 });
    await waitFor(async () => (await t.query(`SELECT 1 FROM ledger_entries WHERE kind = 'refund'`)).length === 1, 10000, 'refund');
    const mistake = await cash(7000, 'progress-cash-1');
    await cash(500, 'progress-cash-2', 'Second Caller');
    await t.http.post(`/api/ledger-entries/${mistake.body.id}/reversal`).set('authorization', finance).send({ reason: 'wrong amount' }).expect(201);
    const lost = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${c.chargeId}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${lost.id}/close`, { status: 'lost' });
    const won = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${d.chargeId}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${won.id}/close`, { status: 'won' });
    await t.sim.idle();
    await waitFor(async () => (await t.query(`SELECT 1 FROM ledger_entries WHERE kind IN ('dispute', 'dispute_reversal')`)).length === 3, 10000, 'disputes');

    // 19500 − 1234 refunded + 7000 − 7000 reversed + 500 − 4000 lost (3000 withdrawn and given back)
    expect((await direct()).raised).toBe(19500 - 1234 + 500 - 4000);
    await eventuallyEqual(shown, await direct());
    const p = await progress();
    expect(p).toMatchObject({ slug: 'fighting-fund', currency: 'AUD', target: 25000000, endsAt: null });
    expect(p.percent).toBe(Math.floor((p.raised * 10000) / 25000000) / 100);
  });

  it('answers from memory with an ETag and Cache-Control; a matching If-None-Match is a 304; a new gift changes the tag', async () => {
    const first = await t.http.get('/api/campaigns/current/progress').expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    expect(first.headers['access-control-allow-origin']).toBe('*');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    await t.http.get('/api/campaigns/current/progress').set('if-none-match', etag).expect(304);
    await t.http.get('/api/campaigns/current/progress').set('if-none-match', `W/${etag}`).expect(304);

    // A page view costs no query: with the ledger and its roll-ups locked against any reader,
    // progress still answers (from memory).
    const locker = t.app.get(DataSource).createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await locker.query(`LOCK TABLE ledger_entries, campaign_totals, campaign_supporters, campaigns IN ACCESS EXCLUSIVE MODE`);
      const answers = await Promise.all(Array.from({ length: 50 }, () => t.http.get('/api/campaigns/current/progress').timeout(2000)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }

    await cash(1500, 'progress-etag');
    await eventuallyEqual(async () => (await t.http.get('/api/campaigns/current/progress').set('if-none-match', etag)).status, 200);
  });

  it('streams live updates as server-sent events', async () => {
    const res = await fetch(`${t.baseUrl}/api/campaigns/current/progress/stream`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = sseEvents(res);
    const first = (await events.next()).value!;
    expect(first).toEqual(await progress());
    await cash(2200, 'progress-sse');
    const next = (await events.next()).value!;
    expect(next.raised).toBe(first.raised + 2200);
    await events.return(undefined);
    // Left open on purpose: shutting the app down (afterAll) must end it, not wait for it.
    const lingering = await fetch(`${t.baseUrl}/api/campaigns/current/progress/stream`);
    expect(lingering.status).toBe(200);
  });

  it('the embeddable bar: HTML readable without JavaScript, frameable, and an accessible SVG', async () => {
    const p = await progress();
    const html = await t.http.get('/embed/campaigns/current').expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['x-frame-options']).toBeUndefined();
    expect(html.headers['content-security-policy']).toContain('frame-ancestors *');
    const dollars = (cents: number) => `$${Math.floor(cents / 100).toLocaleString('en-AU')}${cents % 100 ? `.${String(cents % 100).padStart(2, '0')}` : ''}`;
    const sentence = `${dollars(p.raised)} raised of $250,000`;
    expect(html.text).toContain(`<p class="raised" aria-live="polite">${sentence}</p>`);
    expect(html.text).toContain(`<progress class="bar" max="25000000" value="${p.raised}" aria-label="${sentence}">`);
    expect(html.text).toContain('<script src="/embed/progress.js" defer></script>');
    await t.http.get('/embed/progress.js').expect(200).expect('content-type', 'text/javascript; charset=utf-8');
    const svg = await t.http.get('/embed/campaigns/current/progress.svg').buffer(true).parse((r, cb) => {
      let d = '';
      r.on('data', (c: Buffer) => (d += c));
      r.on('end', () => cb(null, d));
    }).expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body).toContain('role="img"');
    expect(svg.body).toContain(`<text x="0" y="42" font-family="system-ui, sans-serif" font-size="15" fill="#111827">${sentence}</text>`);
    await t.http.get('/embed/campaigns/nope').expect(404);
  });

  it('admins create campaigns, choose what counts and which is current; every change audited; bad input refused', async () => {
    const created = await t.http.post('/api/campaigns').set('authorization', admin)
      .send({ slug: 'spring-appeal', title: 'Spring appeal', target: 100000, startsAt: '2026-09-01T00:00:00Z', endsAt: '2026-12-01T00:00:00Z', countedTypes: ['donation'] }).expect(201);
    expect(created.body).toMatchObject({ slug: 'spring-appeal', currency: 'AUD', target: 100000, countedTypes: ['donation'], current: false, endsAt: '2026-12-01T00:00:00.000Z' });
    await paidDonation(t, 5000, { email: 'spring@example.com', campaign: 'spring-appeal' });
    await eventuallyEqual(() => shown('spring-appeal'), { raised: 5000, supporters: 1 });
    const fightingBefore = await direct('fighting-fund');
    await eventuallyEqual(() => shown('fighting-fund'), fightingBefore);

    await t.http.patch('/api/campaigns/spring-appeal').set('authorization', admin).send({ current: true, target: 200000 }).expect(200);
    const now = await progress('current');
    expect(now).toMatchObject({ slug: 'spring-appeal', target: 200000, raised: 5000, percent: 2.5 });
    // Donations naming no campaign now count toward it.
    await paidDonation(t, 1000, { email: 'spring2@example.com' });
    await eventuallyEqual(() => shown('current'), { raised: 6000, supporters: 2 });

    const list = (await t.http.get('/api/campaigns').set('authorization', finance).expect(200)).body;
    expect(list.filter((c: { current: boolean }) => c.current).map((c: { slug: string }) => c.slug)).toEqual(['spring-appeal']);
    const audit = (await t.http.get('/api/audit-log').set('authorization', admin).expect(200)).body;
    const actions = (audit.items ?? audit).map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['campaign.create', 'campaign.update']));

    const bad = async (method: 'post' | 'patch', path: string, body: object, field: string, status = 400) => {
      const res = await t.http[method](path).set('authorization', admin).send(body).expect(status);
      expect(res.body.field ?? res.body.details?.[0]?.field).toBe(field);
    };
    await bad('post', '/api/campaigns', { slug: 'Not A Slug', title: 'x', target: 100 }, 'slug');
    await bad('post', '/api/campaigns', { slug: 'current', title: 'x', target: 100 }, 'slug');
    await bad('post', '/api/campaigns', { slug: 'spring-appeal', title: 'again', target: 100 }, 'slug', 409);
    await bad('post', '/api/campaigns', { slug: 'cents', title: 'x', target: 10.5 }, 'target');
    await bad('post', '/api/campaigns', { slug: 'types', title: 'x', target: 100, countedTypes: ['bogus'] }, 'countedTypes');
    await bad('patch', '/api/campaigns/spring-appeal', { endsAt: '2026-01-01T00:00:00Z' }, 'endsAt');
    await bad('patch', '/api/campaigns/spring-appeal', { current: false }, 'current');
    await bad('patch', '/api/campaigns/nope', { title: 'x' }, 'slug', 404);
    expect(await t.query(`SELECT slug FROM campaigns ORDER BY slug`)).toEqual([{ slug: 'fighting-fund' }, { slug: 'spring-appeal' }]);
  });
});
