import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ html: string }>;
}

/** axe-core run in the page: its serious and critical violations (none expected), with the offending HTML. */
export async function seriousAxeViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string | null; nodes: string[] }>> {
  await page.evaluate(AXE);
  // Browser-side code as text: this project's TypeScript has no DOM types.
  const found = await page.evaluate<AxeViolation[]>(`axe.run(document).then((r) => r.violations)`);
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) }));
}

/**
 * Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it when missing), driven by
 * Playwright. The background-networking flags keep it from calling out on this closed network.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where browser tests save screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

/**
 * The pages of one browser test suite: each in its own context (its own cookies), with the page's
 * script errors and console errors collected (a 4xx the page handles is logged by Chromium as a
 * failed resource, and is not an error). `errors()` hands them over (expected empty after each test);
 * `check` saves a full-page screenshot and asserts axe finds nothing serious or critical.
 */
export class BrowserPages {
  private readonly contexts: BrowserContext[] = [];
  private readonly found: string[] = [];

  constructor(private readonly browser: () => Browser) {
    mkdirSync(SCREENSHOTS, { recursive: true });
  }

  async newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.browser().newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-AU',
      ...options,
    });
    this.contexts.push(context);
    const page = await context.newPage();
    this.watch(page);
    return page;
  }

  /** Collects a page's errors (for a page opened otherwise, e.g. a popup). */
  watch(page: Page): void {
    page.on('pageerror', (e) => this.found.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) this.found.push(`console: ${m.text()}`);
    });
  }

  /** The errors seen since the last call (and forgets them). */
  errors(): string[] {
    return this.found.splice(0);
  }

  /** A screenshot `<name>.png` under test-output/screenshots, and axe: nothing serious or critical. */
  async check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    const violations = await seriousAxeViolations(page);
    expect({ screen: name, violations }).toEqual({ screen: name, violations: [] });
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
  }
}

/** Builds the staff console into dist/console (what the service serves at /console/), for the browser suites. */
export function buildConsole(): void {
  const root = join(__dirname, '..', '..');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), '--console-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`console build failed: ${build.stdout}${build.stderr}`);
}
