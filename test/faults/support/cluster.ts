import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries on this machine (`/usr/lib/postgresql/<v>/bin`), or PG_BIN. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set PG_BIN)');
  versions.sort((a, b) => Number(b) - Number(a));
  return join(base, versions[0], 'bin');
}

/**
 * A private PostgreSQL cluster in a temporary folder, on its own port and socket directory: the
 * suite may stop and start it at will. The shared instance on 5432 is never touched. initdb and
 * pg_ctl refuse to run as root, so as root they run as the `postgres` user (runuser).
 */
export class PrivateCluster {
  readonly dir: string;
  private readonly data: string;
  private readonly bin = postgresBin();
  private readonly asRoot = process.getuid?.() === 0;
  private initialised = false;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'faults-pg-'));
    this.data = join(this.dir, 'data');
    if (this.asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(this.dir, uid, gid);
    }
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private async exec(tool: string, args: string[], timeoutMs = 60000): Promise<string> {
    const cmd = join(this.bin, tool);
    const [file, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    try {
      const { stdout, stderr } = await run(file, argv, { timeout: timeoutMs, cwd: this.dir });
      return `${stdout}${stderr}`;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\n${this.serverLog()}`,
        { cause: err },
      );
    }
  }

  async init(): Promise<void> {
    await this.exec('initdb', [
      '-D',
      this.data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    this.initialised = true;
  }

  /** pg_ctl start -w on the private port, unix socket in the private folder. */
  async start(): Promise<void> {
    // fsync off: this cluster is thrown away; a fast stop still closes every connection.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await this.exec('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), 'start', '-w', '-t', '60']);
  }

  /** pg_ctl stop -m fast: every session is terminated, the server is gone until start(). */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, 'stop', '-m', 'fast', '-w', '-t', '60']);
  }

  /** Stops the server if it runs (immediate) and deletes the folder; never throws. */
  async destroy(): Promise<void> {
    if (this.initialised && existsSync(join(this.data, 'postmaster.pid'))) {
      await this.exec('pg_ctl', ['-D', this.data, 'stop', '-m', 'immediate', '-w', '-t', '30']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  serverLog(lastLines = 30): string {
    try {
      return readFileSync(join(this.dir, 'log'), 'utf8').split('\n').slice(-lastLines).join('\n');
    } catch {
      return '';
    }
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root but there is no postgres user to run initdb/pg_ctl as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
