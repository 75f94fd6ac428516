#!/usr/bin/env node
/*
 * `npm run build`: compiles apps/, libs/ and migrations/ with swc into dist/, and builds the staff
 * console (apps/console, React + Vite) into dist/console/, without ever removing dist/ under a
 * service that runs from it.
 *
 * - Up to date (the sources, .swcrc and the compiler are what the last build saw): nothing is
 *   touched. Every CLI script runs the build first, so this is what they normally do.
 * - Otherwise swc compiles into a fresh folder beside dist/; each file then replaces its old
 *   copy by rename (atomic: a reader sees the old file or the new one, never none or half of
 *   one), and files whose source is gone are removed. `--force` rebuilds even when up to date;
 *   `--console-only` builds the console alone.
 * - The console has its own stamp (apps/console and the versions of Vite and React): it is built
 *   only when those changed. Vite writes into a fresh folder; the hashed assets are moved in
 *   first and index.html last, so a page loaded at any moment finds every file it names. The
 *   previous build's assets are kept (a tab still open on it may load a lazy chunk later); older
 *   ones are removed.
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
/** The console is not compiled by swc: Vite builds it (below). */
const CONSOLE = path.join('apps', 'console');
const sources = [
  ...fs
    .readdirSync(path.join(root, 'apps'))
    .map((a) => path.join('apps', a))
    .filter((a) => a !== CONSOLE),
  'libs',
  'migrations',
];
const inputs = ['.swcrc', 'package.json', 'node_modules/@swc/core/package.json'];
const consoleDist = path.join(dist, 'console');
const consoleStampFile = path.join(dist, '.console-stamp');
const consoleInputs = [
  'package.json',
  'node_modules/vite/package.json',
  'node_modules/react/package.json',
  'node_modules/react-dom/package.json',
  'node_modules/@vitejs/plugin-react/package.json',
];

/** Every file under `dir`, as paths relative to `base`. */
function walk(dir, base = dir, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, base, out);
    else out.push(path.relative(base, full));
  }
  return out;
}

/** What the output depends on: each input's path, size and modification time. */
function stamp(dirs = sources, extra = inputs) {
  const files = [...dirs.flatMap((s) => walk(path.join(root, s), root)), ...extra].sort();
  const hash = createHash('sha256');
  for (const f of files) {
    let st;
    try {
      st = fs.statSync(path.join(root, f));
    } catch {
      st = undefined;
    }
    hash.update(`${f}\0${st ? `${st.size}\0${st.mtimeMs}` : '-'}\n`);
  }
  return hash.digest('hex');
}

function readStamp(file = stampFile) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function writeStamp(file, value) {
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, `${value}\n`);
  fs.renameSync(tmp, file);
}

function main() {
  const force = process.argv.includes('--force');
  // `--console-only`: the browser tests run the service from source and need only the console.
  if (!process.argv.includes('--console-only')) buildServer(force);
  buildConsole(force);
}

/** What the console build owns in dist/: swc's clean-up leaves it alone. */
const isConsoleOutput = (f) => f === '.console-stamp' || f.split(path.sep)[0] === 'console';

function buildServer(force) {
  const wanted = stamp();
  if (!force && readStamp() === wanted && fs.existsSync(path.join(dist, 'apps', 'api', 'src', 'main.js'))) {
    console.log('dist is up to date');
    return;
  }
  const fresh = fs.mkdtempSync(path.join(root, '.dist-build-'));
  try {
    const swc = spawnSync(
      process.execPath,
      [
        require.resolve('@swc/cli/bin/swc.js', { paths: [root] }),
        ...sources,
        '-d',
        fresh,
        '--config-file',
        '.swcrc',
        '--copy-files',
        '-q',
      ],
      { cwd: root, stdio: 'inherit' },
    );
    if (swc.status !== 0) throw new Error(`swc failed (${swc.signal ?? `exit ${swc.status}`})`);
    const built = walk(fresh);
    if (!built.includes(path.join('apps', 'api', 'src', 'main.js')))
      throw new Error('swc produced no apps/api/src/main.js');
    // Replace file by file: whatever runs from dist/ finds every file it needs at every moment.
    for (const f of built) {
      const target = path.join(dist, f);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(fresh, f), target);
    }
    // Files from sources that are gone (a deleted or renamed module) do not linger.
    const keep = new Set(built);
    for (const f of walk(dist)) {
      if (f !== '.build-stamp' && !isConsoleOutput(f) && !keep.has(f)) fs.rmSync(path.join(dist, f), { force: true });
    }
    removeEmptyDirs(dist);
    writeStamp(stampFile, wanted);
    console.log(`built dist (${built.length} files)`);
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

/** The staff console (apps/console) with Vite into dist/console/, when its sources or Vite/React changed. */
function buildConsole(force) {
  const wanted = stamp([CONSOLE], consoleInputs);
  if (!force && readStamp(consoleStampFile) === wanted && fs.existsSync(path.join(consoleDist, 'index.html'))) {
    console.log('dist/console is up to date');
    return;
  }
  const fresh = fs.mkdtempSync(path.join(root, '.dist-build-console-'));
  try {
    const vite = spawnSync(
      process.execPath,
      [
        path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js'),
        'build',
        '--config',
        path.join(root, CONSOLE, 'vite.config.mjs'),
        '--outDir',
        fresh,
        '--emptyOutDir',
        '--mode',
        'production',
        '--logLevel',
        'warn',
      ],
      // React's production build whatever NODE_ENV the caller has (jest sets `test`).
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (vite.status !== 0) throw new Error(`vite failed (${vite.signal ?? `exit ${vite.status}`})`);
    const built = walk(fresh);
    if (!built.includes('index.html')) throw new Error('vite produced no index.html');
    // The files of the build being replaced (written below at the end of each build).
    const listFile = path.join(consoleDist, '.build-files');
    let last = [];
    try {
      last = JSON.parse(fs.readFileSync(listFile, 'utf8'));
    } catch {
      last = [];
    }
    // Assets first, index.html last: index.html never names a file that is not there yet.
    for (const f of [...built.filter((f) => f !== 'index.html'), 'index.html']) {
      const target = path.join(consoleDist, f);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(fresh, f), target);
    }
    // Keep the build just replaced (a tab open on it may still load a chunk), drop anything older.
    const keep = new Set([...built, ...last, '.build-files']);
    for (const f of walk(consoleDist)) {
      if (!keep.has(f)) fs.rmSync(path.join(consoleDist, f), { force: true });
    }
    writeStamp(listFile, JSON.stringify(built));
    removeEmptyDirs(consoleDist);
    writeStamp(consoleStampFile, wanted);
    console.log(`built dist/console (${built.length} files)`);
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

function removeEmptyDirs(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const sub = path.join(dir, e.name);
    removeEmptyDirs(sub);
    if (fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
  }
}

try {
  main();
} catch (err) {
  console.error(`build failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
