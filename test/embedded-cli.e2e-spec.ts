/*
 * The README's own path on the embedded database, with the built service as a process:
 * `npm run staff:create` while `npm start` runs, a command that cannot reach the holder of the
 * data directory, `npm run build` under the running service, and PUBLIC_BASE_URL following PORT.
 * Runs `node scripts/build.js` first (it does nothing when dist/ is up to date).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE_NAME, processStartTime } from '@app/database';
import { ChildService, freePort, withServiceLog } from './faults/support/service';

const ROOT = join(__dirname, '..');
const STAFF_CLI = join(ROOT, 'dist', 'libs', 'staff', 'src', 'cli', 'create-staff.js');
const PASSWORD = 'a long enough passphrase';

/** The environment of `npm start` with no configuration, except the data folder and the ports. */
function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { EMBEDDED_DB_DIR: dataDir, STRIPE_SIMULATOR_PORT: '0', LOG_LEVEL: 'info', ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A node script as its own process, with only PATH and `env` (no DATABASE_URL: the embedded database). */
function run(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 90_000,
  command = process.execPath,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function login(baseUrl: string, email: string, password = PASSWORD): Promise<number> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}

describe('the embedded database and the CLI while the service runs', () => {
  const dirs: string[] = [];
  /** One service on the embedded database, shared by the tests (starting one takes a while). */
  let service: ChildService;
  let dataDir: string;
  let port: number;

  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'embedded-cli-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    dataDir = tempDir();
    port = await freePort();
    service = new ChildService(embeddedEnv(dataDir), port);
    await service.start(90_000);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('without PUBLIC_BASE_URL the start-up log and the return from Pay use the port the service listens on', async () => {
    await withServiceLog(
      () => service,
      async () => {
        // main.ts prints its "try this" URLs just after it starts listening.
        for (let i = 0; i < 100 && !service.log(400).includes('listening on'); i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const log = service.log(400);
        expect(log).toContain(`health:            http://localhost:${port}/health`);
        expect(log).toContain(`funding progress:  http://localhost:${port}/api/campaigns/current/progress`);
        expect(log).not.toContain('localhost:3000');

        const res = await fetch(`${service.baseUrl}/api/donations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 2500, frequency: 'one_off', email: 'reader@example.com' }),
        });
        expect(res.status).toBe(201);
        const { checkoutUrl } = (await res.json()) as { checkoutUrl: string };
        const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
        expect(paid.status).toBe(303);
        const back = paid.headers.get('location')!;
        expect(back.startsWith(`http://localhost:${port}/`)).toBe(true);
        // Where the reader's browser goes answers (whatever the page): the service is there.
        const landing = await fetch(back.replace('//localhost:', '//127.0.0.1:'), { redirect: 'manual' });
        expect(landing.status).toBeLessThan(500);
      },
    );
  }, 60_000);

  it('a second service on the same directory refuses to start, naming the process that holds it', async () => {
    await withServiceLog(
      () => service,
      async () => {
        const second = await run(
          [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')],
          embeddedEnv(dataDir, { PORT: String(await freePort()) }),
          45_000,
        );
        expect(second.code).toBe(1);
        expect(second.stdout + second.stderr).toContain(`is in use by process ${service.pid}`);
        expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
      },
    );
  }, 120_000);

  it('npm run build while the service runs never removes the files it runs from', async () => {
    await withServiceLog(
      () => service,
      async () => {
        const main = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
        const watched = [
          main,
          join(ROOT, 'dist', 'libs', 'staff', 'src', 'cli', 'create-staff.js'),
          join(ROOT, 'dist', 'migrations', 'index.js'),
        ];
        // A source newer than the last build: the build has work to do.
        const touched = join(ROOT, 'libs', 'database', 'src', 'index.ts');
        const { atime } = statSync(touched);
        utimesSync(touched, atime, new Date());
        let missing: string | undefined;
        let checks = 0;
        const build = run(['run', 'build'], { HOME: process.env.HOME ?? tmpdir() }, 120_000, 'npm');
        let done = false;
        void build.then(() => (done = true));
        while (!done) {
          for (const f of watched) if (!missing && !existsSync(f)) missing = f;
          checks++;
          await new Promise((r) => setImmediate(r));
        }
        const result = await build;
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
        expect(checks).toBeGreaterThan(10);
        expect(missing).toBeUndefined();
        expect(result.stdout).toContain('built dist');
        expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
        // Up to date now: the next command's build touches nothing.
        const again = await run([join(ROOT, 'scripts', 'build.js')], {});
        expect(again.stdout).toContain('dist is up to date');
      },
    );
  }, 180_000);

  it('staff:create while the service runs: the account signs in at once, and after a restart', async () => {
    await withServiceLog(
      () => service,
      async () => {
        const created = await run(
          [STAFF_CLI, '--email', 'phone.person@example.org', '--name', 'Phone Person', '--role', 'phone'],
          { ...embeddedEnv(dataDir), STAFF_PASSWORD: PASSWORD },
        );
        expect(created).toMatchObject({ code: 0 });
        expect(created.stdout).toContain('created phone phone.person@example.org');
        expect(await login(service.baseUrl, 'phone.person@example.org')).toBe(200);
        expect(created.stdout).toContain(`served by process ${service.pid}`);

        // A second account while the service is busy with requests of its own.
        const busy = Promise.all(
          Array.from({ length: 20 }, () =>
            fetch(`${service.baseUrl}/api/campaigns/current/progress`).then((r) => r.status),
          ),
        );
        const second = await run(
          [STAFF_CLI, '--email', 'finance.person@example.org', '--name', 'Finance Person', '--role', 'finance'],
          { ...embeddedEnv(dataDir), STAFF_PASSWORD: PASSWORD },
        );
        expect(second).toMatchObject({ code: 0 });
        expect(await busy).toEqual(Array(20).fill(200));

        await service.stop();
        await service.start(90_000);
        expect(await login(service.baseUrl, 'phone.person@example.org')).toBe(200);
        expect(await login(service.baseUrl, 'finance.person@example.org')).toBe(200);

        // Killed (no shutdown hook, its lock left behind): the next start takes the stale lock over.
        await service.kill();
        await service.start(90_000);
        expect(await login(service.baseUrl, 'phone.person@example.org')).toBe(200);
      },
    );
  }, 300_000);

  it('a command that cannot reach the process holding the directory says it is in use and exits non-zero', async () => {
    const dir = tempDir();
    // This test process holds the directory and published an address where nothing listens.
    const deadPort = await freePort();
    writeFileSync(
      join(dir, LOCK_FILE_NAME),
      JSON.stringify({
        pid: process.pid,
        startTime: processStartTime(process.pid),
        url: `postgresql://postgres:postgres@127.0.0.1:${deadPort}/postgres`,
      }),
    );
    const started = Date.now();
    const result = await run([STAFF_CLI, '--email', 'nobody@example.org', '--name', 'Nobody', '--role', 'admin'], {
      ...embeddedEnv(dir),
      STAFF_PASSWORD: PASSWORD,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`the embedded database in ${dir} is in use by process ${process.pid}`);
    expect(result.stderr).toContain('could not connect');
    expect(result.stdout).not.toContain('created');
    // It never opened the files: no database was created under the lock.
    expect(existsSync(join(dir, 'pglite', 'PG_VERSION'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
