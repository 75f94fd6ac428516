import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { StaffService } from '@app/staff';
import { BrowserPages, buildConsole, launchBrowser } from './support/browser';
import { signedIn, STAFF_PASSWORD } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

const ROOT = join(__dirname, '..');
type Role = 'phone' | 'finance' | 'admin';

/**
 * The console's screens, read from apps/console/src/screens.ts as text (importing it would bring the
 * console's browser-only types into this program): every `{ path, title, roles }` line of SCREENS.
 */
const SCREENS_SOURCE = readFileSync(join(ROOT, 'apps', 'console', 'src', 'screens.ts'), 'utf8');
const SCREENS = [...SCREENS_SOURCE.matchAll(/\{ path: '([^']*)', title: '([^']*)', roles: \[([^\]]*)\]/g)].map((m) => ({
  path: m[1],
  title: m[2],
  roles: [...m[3].matchAll(/'(\w+)'/g)].map((r) => r[1] as Role),
}));

/** The two sizes: a 768-pixel-wide tablet held upright, and a 1280×800 laptop. */
const WIDTHS = [
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

/**
 * Every screen of the console (apps/console/src/screens.ts) at tablet and laptop width, for an
 * administrator and for the phone and finance roles on their own screens: the document never
 * scrolls sideways (a wide table scrolls inside its own container), the heading and the menu are
 * on screen, axe finds nothing serious or critical, and a screenshot of each.
 */
describe('console: every screen at tablet and laptop width', () => {
  let t: TestContext;
  let browser: Browser;
  const pages = new BrowserPages(() => browser);
  let supporterId = '';

  beforeAll(async () => {
    buildConsole();
    t = await startTestApp();
    browser = await launchBrowser();
    // A supporter with long details, so that the tables and the supporter page have something wide to show.
    const admin = await signedIn(t, 'admin');
    const seeded = await t.http
      .post('/api/phone-donations')
      .set('authorization', admin)
      .set('idempotency-key', 'tablet-seed-supporter')
      .send({
        supporter: {
          name: 'Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen',
          email: 'maximiliana.featherstonehaugh-wolfeschlegelsteinhausen@a-rather-long-domain.example.com',
          phone: '+61255501234',
        },
        amount: 123456,
        method: 'cheque',
        reference: 'CHQ-000000123456789',
        note: 'Given at the town hall meeting, with a long note that wraps over several lines on a narrow screen',
      })
      .expect(201);
    supporterId = seeded.body.supporterId;
  }, 180000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pages.errors()).toEqual([]);
  });

  async function signedInPage(role: Role, width: number, height: number): Promise<Page> {
    const email = `${role}.${Math.random().toString(36).slice(2)}@tablet.test`;
    await t.app
      .get(StaffService)
      .create({ email, name: `Tablet ${role}`, role }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    const page = await pages.newPage({ viewport: { width, height } });
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Welcome, Tablet ${role}` }).waitFor();
    return page;
  }

  /** Opens one screen and checks it at this page's width. */
  async function checkScreen(page: Page, role: Role, size: string, path: string): Promise<void> {
    const url = path.replace(':id', supporterId);
    await page.goto(`${t.baseUrl}/console${url}`);
    const heading = page.getByRole('main').locator('h1').first();
    await heading.waitFor({ state: 'visible', timeout: 15000 });
    await page.waitForLoadState('networkidle');
    const screen = `${role} ${size} ${path}`;
    expect({ screen, heading: await heading.isVisible() }).toEqual({ screen, heading: true });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect({ screen, menu: await nav.isVisible() }).toEqual({ screen, menu: true });
    // Nothing forces the document wider than the window: no sideways scrolling of the whole page.
    const widths = await page.evaluate<{ scroll: number; inner: number }>(
      `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`,
    );
    expect({ screen, overflow: widths.scroll > widths.inner ? widths : null }).toEqual({ screen, overflow: null });
    const name = `tablet-${size}-${role}-${path === '/' ? 'home' : path.slice(1).replace(/[/:]+/g, '-')}`;
    await pages.check(page, `console-${name}`);
  }

  const cases: Array<[Role, (typeof WIDTHS)[number]]> = [];
  for (const role of ['admin', 'phone', 'finance'] as const) for (const size of WIDTHS) cases.push([role, size]);

  it('finds every screen of the console', () => {
    expect(SCREENS.length).toBe(SCREENS_SOURCE.match(/^ {2}\{ path: /gm)?.length);
    expect(SCREENS.map((s) => s.path)).toEqual(expect.arrayContaining(['/', '/phone', '/reports', '/staff']));
  });

  it.each(cases)(
    '%s: every screen of theirs at %o',
    async (role, size) => {
      // Each role opens every screen it may open (the shared ones too: home, find a supporter, a
      // supporter's page), as its menus and permissions shape them.
      const screens = SCREENS.filter((s) => role === 'admin' || s.roles.includes(role));
      expect(screens.length).toBeGreaterThan(0);
      const page = await signedInPage(role, size.width, size.height);
      for (const s of screens) await checkScreen(page, role, size.name, s.path);
    },
    180000,
  );
});
