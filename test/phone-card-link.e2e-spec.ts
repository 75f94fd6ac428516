import { type ParsedMail } from 'mailparser';
import { SmtpInbox } from './support/smtp-inbox';
import { signedIn } from './support/staff';
import { eventuallyEqual, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/** The one link in an email's text. */
function linkIn(mail: ParsedMail): string {
  const links = mail.text!.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  return links[0]!;
}

/**
 * Card by phone (issue 14, item 6): the Checkout link of a donation or subscription taken by
 * phone is emailed to the caller (received here by a real SMTP server), who follows it and pays
 * on the simulator's Checkout page; the operator sees `open`, then `complete`; the link can be
 * sent again while it can be paid, at most five times in all, and never once paid or expired.
 */
describe('card by phone: the link is emailed to the caller, paid, and its status shown to the operator', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let phone: string;
  let finance: string;

  beforeAll(async () => {
    await inbox.start();
    t = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      EMAIL_FROM: 'Supporters <supporters@news.example.org>',
      EMAIL_POLL_INTERVAL_MS: '1000',
    });
    phone = await signedIn(t, 'phone');
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
    await inbox.stop();
  });

  let keys = 0;
  const takeByCard = (email: string, amount = 2500, key = `card-link-${++keys}`) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', key)
      .send({ supporter: { name: 'Carla Card', email }, amount, method: 'card' });
  const status = async (id: string, who = phone) =>
    (await t.http.get(`/api/phone-donations/${id}`).set('authorization', who).expect(200)).body;
  const resend = (id: string, what = 'phone-donations') =>
    t.http.post(`/api/${what}/${id}/card-link`).set('authorization', phone);
  const sessionOf = async (checkoutId: string) =>
    (await t.query<{ s: string }>(`SELECT stripe_session_id AS s FROM checkouts WHERE id = $1`, [checkoutId]))[0].s;

  /** What a caller does: opens the emailed link and presses Pay on the Checkout page. */
  const payOnCheckoutPage = async (link: string) => {
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = html.match(/<form method="post" action="([^"]+)"/)![1];
    const email = html.match(/name="email" value="([^"]*)"/)![1];
    const paid = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, name: 'Carla Card' }).toString(),
    });
    expect(paid.status).toBe(303);
  };

  let paidId = '';

  it('the link is emailed to the caller, followed and paid; the operator sees open, then complete', async () => {
    const email = 'carla.card@example.com';
    const res = await takeByCard(email).expect(201);
    expect(res.body).toMatchObject({ method: 'card', status: 'open', emailedTo: email, amount: 2500 });
    paidId = res.body.id;

    const [mail] = await inbox.awaitCount(email, 1);
    expect(mail.subject).toBe('Your card payment link: donation of $25.00 AUD');
    expect(mail.text).toContain('Dear Carla Card');
    expect(mail.text).toContain(`Reference: ${paidId}`);
    expect(mail.from?.value[0].address).toBe('supporters@news.example.org');
    const link = linkIn(mail);
    expect(link).toBe(res.body.checkoutUrl);
    // The SMTP server has it; the outbox marks the row sent just after the server's answer.
    await eventuallyEqual(
      () => t.query(`SELECT status, kind FROM emails WHERE to_address = $1 AND status = 'sent'`, [email]),
      [{ status: 'sent', kind: 'card_link' }],
    );

    expect(await status(paidId)).toMatchObject({
      id: paidId,
      method: 'card',
      purpose: 'donation',
      status: 'open',
      amount: 2500,
      currency: 'AUD',
      checkoutUrl: link,
      email,
      linkSends: 1,
      supporterId: null,
    });
    const open = (
      await t.http.get('/api/phone-donations').query({ status: 'open' }).set('authorization', phone).expect(200)
    ).body as Array<{ id: string; status: string }>;
    expect(open.map((d) => d.id)).toContain(paidId);

    // The caller lost it: the operator sends it again, the same link, audited.
    const again = await resend(paidId).expect(200);
    expect(again.body).toMatchObject({ id: paidId, status: 'open', linkSends: 2 });
    const both = await inbox.awaitCount(email, 2);
    expect(both.map(linkIn)).toEqual([link, link]);
    expect(
      await t.query(
        `SELECT staff_id IS NOT NULL AS by_staff FROM audit_log WHERE action = 'phone_card_link.resend' AND entity_id = $1`,
        [paidId],
      ),
    ).toEqual([{ by_staff: true }]);

    await payOnCheckoutPage(link);
    const done = await waitFor(
      async () => {
        const s = await status(paidId);
        return s.status === 'complete' && s;
      },
      15000,
      'the operator to see complete',
    );
    expect(done).toMatchObject({ status: 'complete', checkoutUrl: null, linkSends: 2 });
    expect(done.supporterId).toEqual(expect.any(String));
    expect(done.completedAt).toEqual(expect.any(String));
    // Finance sees it too; the list filters by status.
    expect((await status(paidId, finance)).status).toBe('complete');
    const complete = (
      await t.http.get('/api/phone-donations').query({ status: 'complete' }).set('authorization', phone).expect(200)
    ).body as Array<{ id: string }>;
    expect(complete.map((d) => d.id)).toContain(paidId);
    await t.settled();
    expect(
      await t.query(`SELECT gross, channel FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`, [paidId]),
    ).toEqual([{ gross: '2500', channel: 'phone' }]);
  });

  it('a resend once the caller has paid is refused (409) and sends nothing', async () => {
    const res = await resend(paidId).expect(409);
    expect(res.body).toMatchObject({ code: 'CARD_LINK_CLOSED', field: 'id' });
    expect(res.body.message).toMatch(/has paid/);
    await t.settled();
    // The two links sent before she paid (her receipt for the payment is another kind of email).
    expect(
      await t.query(`SELECT 1 FROM emails WHERE to_address = 'carla.card@example.com' AND kind = 'card_link'`),
    ).toHaveLength(2);
  });

  it("a resend of an expired link is refused (409), even before the expiry's webhook; the operator sees expired", async () => {
    const email = 'expiring.card@example.com';
    const res = await takeByCard(email, 1200).expect(201);
    await inbox.awaitCount(email, 1);
    // Stripe expires it (as it does after 24 hours); its webhook is not delivered yet.
    const sessionId = await sessionOf(res.body.id);
    await t.settled();
    t.sim.configureWebhook({ enabled: false });
    try {
      await t.stripe.checkout.sessions.expire(sessionId);
      expect((await status(res.body.id)).status).toBe('open');
      const refused = await resend(res.body.id).expect(409);
      expect(refused.body).toMatchObject({ code: 'CARD_LINK_CLOSED', details: { status: 'expired' } });
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    const expired = (
      await simControl<Array<{ id: string; data: { object: { id: string } } }>>(
        t.sim,
        'GET',
        '/_simulator/events?type=checkout.session.expired',
      )
    ).filter((e) => e.data.object.id === sessionId);
    expect(expired).toHaveLength(1);
    await simControl(t.sim, 'POST', `/_simulator/events/${expired[0].id}/resend`);
    await waitFor(async () => (await status(res.body.id)).status === 'expired', 15000, 'the operator to see expired');
    expect((await status(res.body.id)).checkoutUrl).toBeNull();
    expect((await resend(res.body.id).expect(409)).body.message).toMatch(/expired/);
    expect(inbox.to(email)).toHaveLength(1);
  });

  it('a link is emailed at most five times (429 after); a replayed request sends nothing more', async () => {
    const email = 'many.resends@example.com';
    const key = `card-link-replayed-${Date.now()}`;
    const res = await takeByCard(email, 1500, key).expect(201);
    await takeByCard(email, 1500, key).expect(201);
    for (let i = 2; i <= 5; i++) expect((await resend(res.body.id).expect(200)).body.linkSends).toBe(i);
    const limited = await resend(res.body.id).expect(429);
    expect(limited.body).toMatchObject({ code: 'CARD_LINK_SEND_LIMIT', field: 'id', details: { sent: 5, max: 5 } });
    const mails = await inbox.awaitCount(email, 5);
    await t.settled();
    expect(inbox.to(email)).toHaveLength(5);
    expect(new Set(mails.map(linkIn))).toEqual(new Set([res.body.checkoutUrl]));
  });

  it("a subscription's link is emailed too, and sent again on request", async () => {
    const email = 'print.card@example.com';
    const sub = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({
        tier: 'print',
        billing: 'monthly',
        email,
        name: 'Pat Print',
        deliveryAddress: { line1: '2 Post St', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' },
      })
      .expect(201);
    const [mail] = await inbox.awaitCount(email, 1);
    expect(mail.subject).toMatch(/^Your card payment link: print subscription \(monthly\) of \$/);
    expect(linkIn(mail)).toBe(sub.body.checkoutUrl);
    // A double click answers the same checkout and emails nothing more.
    const again = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({
        tier: 'print',
        billing: 'monthly',
        email,
        name: 'Pat Print',
        deliveryAddress: { line1: '2 Post St', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' },
      })
      .expect(201);
    expect(again.body).toMatchObject({ id: sub.body.id, outcome: 'reused' });
    const resent = await resend(sub.body.id, 'phone-subscriptions').expect(200);
    expect(resent.body).toMatchObject({ purpose: 'subscription', tier: 'print', status: 'open', linkSends: 2 });
    // Its status, as for a donation's link.
    const subStatus = (id: string) => t.http.get(`/api/phone-subscriptions/${id}`).set('authorization', phone);
    expect((await subStatus(sub.body.id).expect(200)).body).toMatchObject({
      id: sub.body.id,
      purpose: 'subscription',
      tier: 'print',
      status: 'open',
      linkSends: 2,
      checkoutUrl: sub.body.checkoutUrl,
    });
    // Finance sees it too, as a donation's link.
    expect((await subStatus(sub.body.id).set('authorization', finance).expect(200)).body.status).toBe('open');
    expect((await subStatus(paidId).expect(404)).body.field).toBe('id');
    expect((await subStatus('not-a-checkout').expect(404)).body.field).toBe('id');
    const both = await inbox.awaitCount(email, 2);
    expect(both.map(linkIn)).toEqual([sub.body.checkoutUrl, sub.body.checkoutUrl]);
    // A subscription is not a donation, and the other way round.
    expect((await resend(sub.body.id).expect(404)).body.field).toBe('id');
    expect((await resend(paidId, 'phone-subscriptions').expect(404)).body.field).toBe('id');
    await payOnCheckoutPage(both[1].text!.match(/https?:\/\/\S+/)![0]);
    await waitFor(
      async () =>
        (await t.query(`SELECT 1 FROM checkouts WHERE id = $1 AND status = 'complete'`, [sub.body.id])).length,
      15000,
      'the subscription paid',
    );
    expect((await resend(sub.body.id, 'phone-subscriptions').expect(409)).body.code).toBe('CARD_LINK_CLOSED');
    expect((await subStatus(sub.body.id).expect(200)).body).toMatchObject({ status: 'complete' });
  });

  /** Presses Pay on the simulator's Checkout page and waits until the payment is in. */
  const payAndSettle = async (checkoutUrl: string, checkoutId: string) => {
    await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    await waitFor(
      async () => (await t.query(`SELECT 1 FROM checkouts WHERE id = $1 AND status = 'complete'`, [checkoutId])).length,
      15000,
      'the checkout to complete',
    );
    await t.settled();
  };
  const found = async (q: string) =>
    (
      (await t.http.get('/api/supporters').query({ q }).set('authorization', phone).expect(200)).body as Array<{
        id: string;
      }>
    ).map((f) => f.id);
  const recordsWith = (email: string) =>
    t.query<{ id: string; phone: string | null; address: Record<string, string> | null }>(
      `SELECT id, phone, address FROM supporters WHERE lower(email) = lower($1)`,
      [email],
    );
  const phonesOf = (id: string) =>
    t.query(`SELECT number, e164 FROM supporter_phones WHERE supporter_id = $1 ORDER BY position`, [id]);

  it('a new caller paying by card link keeps the phone and address given: one record, found by any phone format', async () => {
    const email = 'pia.card@example.com';
    const address = { line1: '4 Link Road', city: 'Dubbo', state: 'NSW', postalCode: '2830', country: 'AU' };
    const res = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `card-link-new-caller-${Date.now()}`)
      .send({ supporter: { name: 'Pia Card', email, phone: '02 5550 4242', address }, amount: 2500, method: 'card' })
      .expect(201);
    // Kept as the link goes out: the operator finds the caller before they pay.
    const [before] = await recordsWith(email);
    expect(before).toMatchObject({ phone: '02 5550 4242', address });
    expect(await found('+61 2 5550 4242')).toEqual([before.id]);

    await payAndSettle(res.body.checkoutUrl, res.body.id);
    // The webhook's upsert by email landed on the same record: one record, the payment keyed to it.
    expect(await recordsWith(email)).toEqual([before]);
    expect(await phonesOf(before.id)).toEqual([{ number: '02 5550 4242', e164: '+61255504242' }]);
    expect(
      await t.query(`SELECT supporter_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`, [
        res.body.id,
      ]),
    ).toEqual([{ supporter_id: before.id }]);
    expect(
      (await t.http.get(`/api/phone-donations/${res.body.id}`).set('authorization', phone).expect(200)).body,
    ).toMatchObject({ status: 'complete', supporterId: before.id });
    for (const q of ['0255504242', '02 5550 4242', '+61255504242', '(02) 5550-4242']) {
      expect(await found(q)).toEqual([before.id]);
    }
    expect(await found('Link Road Dubbo')).toEqual([before.id]);
  });

  it('a new caller subscribing by phone keeps the phone given (and the delivery address); with supporterId the phone is added', async () => {
    const email = 'sam.sub@example.com';
    const deliveryAddress = { line1: '8 Paper Lane', city: 'Orange', state: 'NSW', postalCode: '2800', country: 'AU' };
    const bad = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({ tier: 'print', billing: 'monthly', email, name: 'Sam Sub', phone: '123', deliveryAddress });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('phone');
    const sub = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({ tier: 'print', billing: 'monthly', email, name: 'Sam Sub', phone: '0412 345 678', deliveryAddress })
      .expect(201);
    const [before] = await recordsWith(email);
    expect(before).toMatchObject({ phone: '0412 345 678', address: deliveryAddress });
    await payAndSettle(sub.body.checkoutUrl, sub.body.id);
    expect(await recordsWith(email)).toEqual([before]);
    expect(await phonesOf(before.id)).toEqual([{ number: '0412 345 678', e164: '+61412345678' }]);
    expect(await t.query(`SELECT supporter_id FROM subscriptions WHERE checkout_id = $1`, [sub.body.id])).toEqual([
      { supporter_id: before.id },
    ]);
    expect(await found('+61 412 345 678')).toEqual([before.id]);

    // An existing supporter by supporterId: the number given is added to their record (audited).
    const cy = (
      await t.http
        .post('/api/phone-donations')
        .set('authorization', phone)
        .set('idempotency-key', `card-link-cy-${Date.now()}`)
        .send({
          supporter: { name: 'Cy Cash', email: 'cy.cash@example.com', phone: '0412 111 222' },
          amount: 500,
          method: 'cash',
        })
        .expect(201)
    ).body.supporterId as string;
    await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({ supporterId: cy, tier: 'digital', billing: 'monthly', phone: '02 5550 7777' })
      .expect(201);
    expect(await phonesOf(cy)).toEqual([
      { number: '0412 111 222', e164: '+61412111222' },
      { number: '02 5550 7777', e164: '+61255507777' },
    ]);
    expect(await found('0255507777')).toEqual([cy]);
    const [audit] = await t.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_log WHERE action = 'supporter.update' AND entity_id = $1 ORDER BY id DESC`,
      [cy],
    );
    expect(audit.after.phones).toEqual(expect.arrayContaining([{ number: '02 5550 7777', e164: '+61255507777' }]));
  });

  it('cash shows as recorded; no card number is ever taken; an unknown id is 404', async () => {
    const cash = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `card-link-cash-${Date.now()}`)
      .send({ supporter: { name: 'Cash Caller' }, amount: 1000, method: 'cash' })
      .expect(201);
    expect(await status(cash.body.id)).toMatchObject({
      id: cash.body.id,
      method: 'cash',
      status: 'recorded',
      amount: 1000,
      supporterId: cash.body.supporterId,
    });
    const withCard = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `card-link-number-${Date.now()}`)
      .send({
        supporter: { name: 'Number Caller', email: 'number@example.com' },
        amount: 1000,
        method: 'card',
        card: { number: '4242424242424242', exp: '12/30', cvc: '123' },
      })
      .expect(400);
    expect(withCard.body.field).toBe('card');
    expect(await t.query(`SELECT 1 FROM checkouts WHERE email = 'number@example.com'`)).toHaveLength(0);
    await t.http
      .get('/api/phone-donations/00000000-0000-4000-8000-000000000000')
      .set('authorization', phone)
      .expect(404);
    await t.http.get('/api/phone-donations/nope').set('authorization', phone).expect(404);
    expect(
      (await t.http.get('/api/phone-donations').query({ status: 'paid' }).set('authorization', phone).expect(400)).body
        .field,
    ).toBe('status');
  });
});
