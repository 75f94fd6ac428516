import { createHmac } from 'node:crypto';
import { StripeGateway } from '@app/stripe';
import { SelfServiceService } from '@app/subscriptions';
import { launchBrowser } from './support/browser';
import { followEmailedLink, openEmailedLink, postContinueForm } from './support/emailed-link';
import { paidDonation } from './support/payments';
import { startTestApp, type TestContext } from './support/test-app';

/** Self-service links: emailed, signed, short-lived and single-use. */
describe('self-service links work once', () => {
  let t: TestContext;
  const email = 'once.reader@example.com';
  let supporterId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await paidDonation(t, 2500, { email });
    [{ id: supporterId }] = await t.query<{ id: string }>(`SELECT id FROM supporters WHERE email = $1`, [email]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const links = async () =>
    (
      await t.query<{ body: string }>(
        `SELECT body FROM emails WHERE to_address = $1 AND kind = 'self_service_link' ORDER BY created_at, id`,
        [email],
      )
    ).map((m) => {
      const url = new URL(m.body.match(/https?:\/\/\S+/)![0]);
      return `${url.pathname}${url.search}`;
    });
  async function freshLink(): Promise<string> {
    const before = (await links()).length;
    await t.http.post('/api/self-service/links').send({ email }).expect(202);
    const all = await links();
    expect(all).toHaveLength(before + 1);
    return all[all.length - 1];
  }
  const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;

  const nonceOf = (link: string) => JSON.parse(Buffer.from(tokenOf(link).split('.')[0], 'base64url').toString()).n;
  const used = async (link: string) =>
    (await t.query(`SELECT 1 FROM self_service_link_uses WHERE nonce = $1`, [nonceOf(link)])).length;

  it('in the browser: the emailed link shows a Continue button that opens the Stripe portal; followed again it shows the page, whose button emails a fresh link', async () => {
    const link = await freshLink();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      expect((await page.goto(`${t.baseUrl}${link}`))?.status()).toBe(200);
      await page.getByRole('button', { name: 'Continue to your billing portal' }).click();
      await page.waitForURL((u) => u.href.startsWith(t.sim.url));
      expect(violations).toEqual([]);
      const again = await page.goto(`${t.baseUrl}${link}`);
      expect(again?.status()).toBe(410);
      await page.getByText('This link has already been used').waitFor();
      const before = (await links()).length;
      await page.getByRole('button').click();
      await page.waitForLoadState('load');
      expect(await links()).toHaveLength(before + 1);
      // The fresh link, followed in the browser, opens the portal again.
      const fresh = (await links()).at(-1)!;
      await page.goto(`${t.baseUrl}${fresh}`);
      await page.getByRole('button', { name: 'Continue to your billing portal' }).click();
      await page.waitForURL((u) => u.href.startsWith(t.sim.url));
    } finally {
      await browser.close();
    }
  });

  it('following the link (GET, as a mail scanner does) uses nothing: twice a Continue page; only its POST opens the portal, once', async () => {
    const link = await freshLink();
    for (let i = 0; i < 2; i++) {
      const page = await t.http.get(link).expect(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers.location).toBeUndefined();
      expect(page.text).toContain('<form method="post" action="/api/self-service/portal">');
      expect(page.text).toContain('Continue to your billing portal');
      expect(page.text).toContain(`<input type="hidden" name="token" value="${tokenOf(link)}">`);
      expect(page.text).not.toMatch(/<script(?! src=)|\son\w+=/i);
    }
    expect(await used(link)).toBe(0);

    const { page, post } = await followEmailedLink(t.baseUrl, link);
    expect(post.status).toBe(303);
    expect(post.headers.get('location')!.startsWith(t.sim.url)).toBe(true);
    expect(await used(link)).toBe(1);
    // The same form posted again: the page offering a fresh link.
    const second = await postContinueForm(`${t.baseUrl}${link}`, page);
    expect(second.status).toBe(410);
    expect(second.text).toContain('This link has already been used');
    expect(second.text).toContain('<form method="post" action="/self-service/new-link">');
    // Without the page's cookie the post uses nothing: the page again, 403.
    const link2 = await freshLink();
    const other = await followEmailedLink(t.baseUrl, link2);
    expect(other.post.status).toBe(303);
    const link3 = await freshLink();
    const opened = await t.http.get(link3).expect(200);
    const forgedPost = await postContinueForm(
      `${t.baseUrl}${link3}`,
      { ...other.page, text: opened.text },
      'reader_csrf=' + 'a'.repeat(32),
    );
    expect(forgedPost.status).toBe(403);
    expect(forgedPost.text).toContain('Continue to your billing portal');
    expect(await used(link3)).toBe(0);
  });

  it('a link opens the portal once; followed again it answers a page offering a fresh link, which works', async () => {
    const link = await freshLink();
    const first = await followEmailedLink(t.baseUrl, link);
    expect(first.post.status).toBe(303);
    expect(first.post.headers.get('location')!.startsWith(t.sim.url)).toBe(true);

    const again = await t.http.get(link).expect(410);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.headers.location).toBeUndefined();
    expect(again.text).toContain('This link has already been used');
    expect(again.text).toContain('<form method="post" action="/self-service/new-link">');
    expect(again.text).toContain(`<input type="hidden" name="token" value="${tokenOf(link)}">`);
    expect(again.text).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);

    // The page's form, as a browser sends it.
    const before = (await links()).length;
    const sent = await t.http
      .post('/self-service/new-link')
      .type('form')
      .send({ token: tokenOf(link) })
      .expect(200);
    expect(sent.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(sent.text).toContain('Check your email');
    const all = await links();
    expect(all).toHaveLength(before + 1);
    const fresh = all[all.length - 1];
    expect(fresh).not.toBe(link);
    const opened = await followEmailedLink(t.baseUrl, fresh);
    expect(opened.post.status).toBe(303);
    expect(opened.post.headers.get('location')!.startsWith(t.sim.url)).toBe(true);
    await t.http.get(fresh).expect(410);
    await t.http.get(link).expect(410);
  });

  it('two uses at once: exactly one opens the portal (the database decides)', async () => {
    const link = await freshLink();
    const opened = await openEmailedLink(t.baseUrl, link);
    const statuses = (
      await Promise.all(Array.from({ length: 6 }, () => postContinueForm(`${t.baseUrl}${link}`, opened)))
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([303, 410, 410, 410, 410, 410]);
    expect(await used(link)).toBe(1);
  });

  it('when Stripe fails the link is not spent; an expired link answers the page too; a forged token gets the same answer and no email', async () => {
    const link = await freshLink();
    const spy = jest
      .spyOn(t.app.get(StripeGateway), 'createBillingPortalSession')
      .mockRejectedValueOnce(new Error('stripe down'));
    const opened = await openEmailedLink(t.baseUrl, link);
    expect((await postContinueForm(`${t.baseUrl}${link}`, opened)).status).toBe(500);
    spy.mockRestore();
    expect((await postContinueForm(`${t.baseUrl}${link}`, opened)).status).toBe(303);

    const service = t.app.get(SelfServiceService);
    const expired = service.sign({ s: supporterId, e: Math.floor(Date.now() / 1000) - 60, n: 'expired-nonce-1' });
    const page = await t.http.get('/api/self-service/portal').query({ token: expired }).expect(410);
    expect(page.text).toContain('This link has expired');
    const before = (await links()).length;
    await t.http.post('/self-service/new-link').type('form').send({ token: expired }).expect(200);
    expect(await links()).toHaveLength(before + 1);

    const forged = await t.http.get('/api/self-service/portal').query({ token: 'forged.token' }).expect(401);
    expect(forged.body).toMatchObject({ code: 'LINK_INVALID', field: 'token' });
    // A token we cannot check sends nothing, and the page says so (it does not claim a link is on its way).
    const answer = await t.http.post('/self-service/new-link').type('form').send({ token: 'forged.token' }).expect(200);
    expect(answer.text).toContain('We could not send a new link');
    expect(answer.text).toContain('No email was sent');
    expect(answer.text).toContain('href="/account"');
    expect(answer.text).not.toContain('Check your email');
    // A well-formed link for this reader signed with another secret (as by a restart with a new random one).
    const payload = Buffer.from(
      JSON.stringify({ s: supporterId, e: Math.floor(Date.now() / 1000) + 600, n: 'other-secret-nonce' }),
    ).toString('base64url');
    const otherSecret = `${payload}.${createHmac('sha256', 'x'.repeat(40)).update(payload).digest('base64url')}`;
    const unchecked = await t.http.post('/self-service/new-link').type('form').send({ token: otherSecret }).expect(200);
    expect(unchecked.text).toContain('We could not send a new link');
    const empty = await t.http.post('/self-service/new-link').type('form').send('').expect(200);
    expect(empty.text).toContain('We could not send a new link');
    expect(await links()).toHaveLength(before + 1);
  });

  it('only that page route takes a form body: the API still refuses forms (415)', async () => {
    await t.http.post('/api/self-service/links').type('form').send({ email }).expect(415);
    await t.http
      .post('/self-service/new-link')
      .set('content-type', 'multipart/form-data; boundary=x')
      .send('--x--')
      .expect(415);
  });
});
