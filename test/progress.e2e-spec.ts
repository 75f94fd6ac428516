import { DataSource } from 'typeorm';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { eventuallyEqual, ledgerRaised, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

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
  /**
   * The truth, straight from the ledger: raised, and the supporters whose gross toward it over
   * the counted types (payments less refunds, reversals and lost disputes) is above zero.
   */
  const direct = async (slug = 'current') => {
    const [row] = await t.query<{ supporters: string }>(
      `SELECT COUNT(*) AS supporters FROM (
         SELECT l.supporter_id FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id
          WHERE (c.slug = $1 OR ($1 = 'current' AND c.is_current)) AND l.supporter_id IS NOT NULL AND l.type = ANY(c.counted_types) AND l.currency = c.currency
          GROUP BY l.supporter_id HAVING SUM(l.gross) > 0) s`,
      [slug],
    );
    return { raised: await ledgerRaised(t, slug), supporters: Number(row.supporters) };
  };
  const shown = async (slug = 'current') => {
    const p = await progress(slug);
    return { raised: p.raised, supporters: p.supporters };
  };
  const cash = (amount: number, key: string, name = 'Cash Caller') =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', key)
      .send({ supporter: { name }, amount, method: 'cash' })
      .expect(201);

  it('progress equals the ledger summed directly after donations, a refund, a reversal, a lost and a won dispute', async () => {
    const a = await paidDonation(t, 10000, { email: 'a@example.com' });
    await paidDonation(t, 2500, { email: 'b@example.com' });
    const c = await paidDonation(t, 4000, { email: 'c@example.com' });
    const d = await paidDonation(t, 3000, { email: 'd@example.com' });
    await eventuallyEqual(shown, await direct());
    expect((await direct()).raised).toBe(19500);

    await t.stripe.refunds.create({ charge: a.chargeId, amount: 1234 });
    await waitFor(
      async () => (await t.query(`SELECT 1 FROM ledger_entries WHERE kind = 'refund'`)).length === 1,
      10000,
      'refund',
    );
    const mistake = await cash(7000, 'progress-cash-1');
    await cash(500, 'progress-cash-2', 'Second Caller');
    await t.http
      .post(`/api/ledger-entries/${mistake.body.id}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'wrong amount' })
      .expect(201);
    const lost = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${c.chargeId}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${lost.id}/close`, { status: 'lost' });
    const won = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${d.chargeId}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${won.id}/close`, { status: 'won' });
    await t.sim.idle();
    await waitFor(
      async () =>
        (await t.query(`SELECT 1 FROM ledger_entries WHERE kind IN ('dispute', 'dispute_reversal')`)).length === 3,
      10000,
      'disputes',
    );

    // 19500 − 1234 refunded + 7000 − 7000 reversed + 500 − 4000 lost (3000 withdrawn and given back)
    expect((await direct()).raised).toBe(19500 - 1234 + 500 - 4000);
    await eventuallyEqual(shown, await direct());
    const p = await progress();
    expect(p).toMatchObject({ slug: 'fighting-fund', currency: 'AUD', target: 25000000, endsAt: null });
    expect(p.percent).toBe(Math.floor((p.raised * 10000) / 25000000) / 100);
  });

  it('supporters: one whose payments were all given back (full refund, reversal, lost dispute) no longer counts; a partial refund or a second payment keeps them', async () => {
    const supporters = async () => (await progress()).supporters;
    await eventuallyEqual(shown, await direct());
    const base = await supporters();
    const full = await paidDonation(t, 1500, { email: 'gone@example.com' });
    const part = await paidDonation(t, 1600, { email: 'part@example.com' });
    const first = await paidDonation(t, 1700, { email: 'twice@example.com' });
    await paidDonation(t, 1800, { email: 'twice@example.com' });
    const disputed = await paidDonation(t, 1900, { email: 'disputed@example.com' });
    const typo = await cash(1000000, 'progress-typo', 'Typo Caller');
    await eventuallyEqual(supporters, base + 5);

    await t.stripe.refunds.create({ charge: full.chargeId });
    await t.stripe.refunds.create({ charge: part.chargeId, amount: 100 });
    await t.stripe.refunds.create({ charge: first.chargeId });
    const dispute = await simControl<{ id: string }>(
      t.sim,
      'POST',
      `/_simulator/charges/${disputed.chargeId}/dispute`,
      {},
    );
    await simControl(t.sim, 'POST', `/_simulator/disputes/${dispute.id}/close`, { status: 'lost' });
    await t.http
      .post(`/api/ledger-entries/${typo.body.id}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'typo' })
      .expect(201);
    await t.sim.idle();
    const chargeIds = [full.chargeId, part.chargeId, first.chargeId, disputed.chargeId];
    await waitFor(
      async () =>
        (
          await t.query(
            `SELECT 1 FROM ledger_entries WHERE kind IN ('refund', 'dispute') AND stripe_charge_id = ANY($1)`,
            [chargeIds],
          )
        ).length === 4,
      10000,
      'refunds and dispute',
    );

    // part@ (partly refunded) and twice@ (one of two payments refunded) still count; the others do not.
    await eventuallyEqual(supporters, base + 2);
    expect(await supporters()).toBe((await direct()).supporters);
    // The roll-up holds each supporter's gross toward the campaign: exactly the ledger regrouped.
    const rollup = await t.query(
      `SELECT campaign_id, currency, type, supporter_id, gross::text AS gross FROM campaign_supporters WHERE gross <> 0 ORDER BY 1, 2, 3, 4`,
    );
    const regroup = await t.query(
      `SELECT campaign_id, currency, type, supporter_id, sum(gross)::text AS gross FROM ledger_entries
        WHERE campaign_id IS NOT NULL AND supporter_id IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(gross) <> 0 ORDER BY 1, 2, 3, 4`,
    );
    expect(rollup).toEqual(regroup);
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
      await locker.query(
        `LOCK TABLE ledger_entries, campaign_totals, campaign_supporters, campaigns IN ACCESS EXCLUSIVE MODE`,
      );
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => t.http.get('/api/campaigns/current/progress').timeout(2000)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }

    await cash(1500, 'progress-etag');
    await eventuallyEqual(
      async () => (await t.http.get('/api/campaigns/current/progress').set('if-none-match', etag)).status,
      200,
    );
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
    const dollars = (cents: number) =>
      `$${Math.floor(cents / 100).toLocaleString('en-AU')}${cents % 100 ? `.${String(cents % 100).padStart(2, '0')}` : ''}`;
    const sentence = `${dollars(p.raised)} raised of $250,000`;
    expect(html.text).toContain(`<p class="raised" aria-live="polite">${sentence}</p>`);
    expect(html.text).toContain(`<progress class="bar" max="25000000" value="${p.raised}" aria-label="${sentence}">`);
    expect(html.text).toContain('<script src="/embed/progress.js" defer></script>');
    await t.http.get('/embed/progress.js').expect(200).expect('content-type', 'text/javascript; charset=utf-8');
    const svg = await t.http
      .get('/embed/campaigns/current/progress.svg')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.on('data', (c: Buffer) => (d += c));
        r.on('end', () => cb(null, d));
      })
      .expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body).toContain('role="img"');
    expect(svg.body).toContain(
      `<text x="0" y="42" font-family="system-ui, sans-serif" font-size="15" fill="#111827">${sentence}</text>`,
    );
    await t.http.get('/embed/campaigns/nope').expect(404);
  });

  it('admins create campaigns, choose what counts and which is current; every change audited; bad input refused', async () => {
    // Running now (a donation naming a campaign that has ended or not started is refused).
    const startsAt = new Date(Date.now() - 30 * 86400_000).toISOString();
    const endsAt = new Date(Date.now() + 60 * 86400_000).toISOString();
    const created = await t.http
      .post('/api/campaigns')
      .set('authorization', admin)
      .send({
        slug: 'spring-appeal',
        title: 'Spring appeal',
        target: 100000,
        startsAt,
        endsAt,
        countedTypes: ['donation'],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      slug: 'spring-appeal',
      currency: 'AUD',
      target: 100000,
      countedTypes: ['donation'],
      current: false,
      endsAt,
    });
    await paidDonation(t, 5000, { email: 'spring@example.com', campaign: 'spring-appeal' });
    await eventuallyEqual(() => shown('spring-appeal'), { raised: 5000, supporters: 1 });
    const fightingBefore = await direct('fighting-fund');
    await eventuallyEqual(() => shown('fighting-fund'), fightingBefore);

    await t.http
      .patch('/api/campaigns/spring-appeal')
      .set('authorization', admin)
      .send({ current: true, target: 200000 })
      .expect(200);
    const now = await progress('current');
    expect(now).toMatchObject({ slug: 'spring-appeal', target: 200000, raised: 5000, percent: 2.5 });
    // Donations naming no campaign now count toward it.
    await paidDonation(t, 1000, { email: 'spring2@example.com' });
    await eventuallyEqual(() => shown('current'), { raised: 6000, supporters: 2 });

    const list = (await t.http.get('/api/campaigns').set('authorization', finance).expect(200)).body;
    expect(list.filter((c: { current: boolean }) => c.current).map((c: { slug: string }) => c.slug)).toEqual([
      'spring-appeal',
    ]);
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
    await bad(
      'post',
      '/api/campaigns',
      { slug: 'types', title: 'x', target: 100, countedTypes: ['bogus'] },
      'countedTypes',
    );
    await bad(
      'patch',
      '/api/campaigns/spring-appeal',
      { endsAt: new Date(Date.parse(startsAt) - 86400_000).toISOString() },
      'endsAt',
    );
    await bad('patch', '/api/campaigns/spring-appeal', { current: false }, 'current');
    await bad('patch', '/api/campaigns/nope', { title: 'x' }, 'slug', 404);
    expect(await t.query(`SELECT slug FROM campaigns ORDER BY slug`)).toEqual([
      { slug: 'fighting-fund' },
      { slug: 'spring-appeal' },
    ]);
  });
  it('a donation naming a campaign that has ended (or not started) is refused, online and by phone, with nothing written', async () => {
    const day = 86400_000;
    await t.http
      .post('/api/campaigns')
      .set('authorization', admin)
      .send({
        slug: 'winter-appeal',
        title: 'Winter appeal',
        target: 50000,
        startsAt: new Date(Date.now() - 90 * day).toISOString(),
        endsAt: new Date(Date.now() - day).toISOString(),
      })
      .expect(201);
    await t.http
      .post('/api/campaigns')
      .set('authorization', admin)
      .send({
        slug: 'next-appeal',
        title: 'Next appeal',
        target: 50000,
        startsAt: new Date(Date.now() + 10 * day).toISOString(),
      })
      .expect(201);
    const count = async () =>
      (
        await t.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM checkouts)::int + (SELECT count(*) FROM ledger_entries)::int + (SELECT count(*) FROM phone_requests)::int AS n`,
        )
      )[0].n;
    const before = await count();
    const refused = (res: { status: number; body: { code: string; field: string } }, code: string) => {
      expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({
        status: 422,
        code,
        field: 'campaign',
      });
    };
    for (const frequency of ['one_off', 'monthly']) {
      refused(
        await t.http
          .post('/api/donations')
          .send({ amount: 2500, frequency, email: 'late@example.com', campaign: 'winter-appeal' }),
        'CAMPAIGN_ENDED',
      );
      refused(
        await t.http
          .post('/api/donations')
          .send({ amount: 2500, frequency, email: 'early@example.com', campaign: 'next-appeal' }),
        'CAMPAIGN_NOT_STARTED',
      );
    }
    const byPhone = (key: string, method: string, campaign: string) =>
      t.http
        .post('/api/phone-donations')
        .set('authorization', phone)
        .set('idempotency-key', key)
        .send({ supporter: { name: 'Late Caller', email: 'late.caller@example.com' }, amount: 3000, method, campaign });
    refused(await byPhone('ended-cash-0001', 'cash', 'winter-appeal'), 'CAMPAIGN_ENDED');
    refused(await byPhone('ended-card-0001', 'card', 'winter-appeal'), 'CAMPAIGN_ENDED');
    refused(await byPhone('early-cash-0001', 'cash', 'next-appeal'), 'CAMPAIGN_NOT_STARTED');
    expect(await count()).toBe(before);
    // The same key with the campaign left out is a new request (the refused one kept nothing) and counts to the current campaign.
    const ok = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'ended-cash-0001')
      .send({ supporter: { name: 'Late Caller', email: 'late.caller@example.com' }, amount: 3000, method: 'cash' })
      .expect(201);
    expect(ok.body.campaign).toBe((await progress('current')).slug);
    await t.http
      .post('/api/donations')
      .send({ amount: 2500, frequency: 'one_off', email: 'late@example.com' })
      .expect(201);
  });
});

describe('live progress streams: a per-instance cap', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ PROGRESS_STREAM_MAX_CLIENTS: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Opens a stream and, when it is one, waits for its first event (the server counts it by then). */
  async function open(): Promise<{ res: Response; controller: AbortController }> {
    const controller = new AbortController();
    const res = await fetch(`${t.baseUrl}/api/campaigns/current/progress/stream`, { signal: controller.signal });
    if (res.status === 200) await sseEvents(res).next();
    return { res, controller };
  }

  it('past PROGRESS_STREAM_MAX_CLIENTS open streams: 503 TOO_MANY_STREAMS with Retry-After; a closed stream frees its place', async () => {
    const a = await open();
    const b = await open();
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const refused = await open();
    expect(refused.res.status).toBe(503);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.res.json()).toMatchObject({ statusCode: 503, code: 'TOO_MANY_STREAMS' });
    // The plain progress endpoint still answers.
    await t.http.get('/api/campaigns/current/progress').expect(200);

    a.controller.abort();
    const c = await waitFor(
      async () => {
        const attempt = await open();
        return attempt.res.status === 200 ? attempt : null;
      },
      5000,
      'a place freed by the closed stream',
    );
    expect((await open()).res.status).toBe(503);
    b.controller.abort();
    c.controller.abort();
  });
});
