import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import type { TestContext } from '../test-app';
import { CONCURRENCY, RUNS, SEED, STRICT } from './config';
import { fingerprint, HASHED, settle, type Table } from './database';
import type { KnownIssue } from './known-issues';
import type { Problems } from './oracles';
import { isObj } from './oracles';
import { describeRequest, send, show, type FuzzRequest, type Outcome } from './requests';

// ---------------------------------------------------------------------------------------------
// The property, for one endpoint
// ---------------------------------------------------------------------------------------------

export interface Endpoint<I> {
  name: string;
  /** Generated inputs, and how each becomes a request. */
  inputs: fc.Arbitrary<I>;
  request: (input: I) => FuzzRequest;
  /** Why a 2xx would be wrong for this request (empty: could be valid). */
  invalid: (input: I, r: FuzzRequest) => Problems;
  /** Rows an accepted request may write: [at least, at most] per table; hashed tables may change when listed. */
  writes?: Partial<Record<Table, [number, number]>>;
  /** Rows a rejected request writes by design (a failed sign-in is audited). */
  rejectWrites?: (o: Outcome) => Partial<Record<Table, number>>;
  /** Names a 400's `field` may take besides the input's own keys (and their nested fields). */
  fields: string[];
  /** The input is not known here (raw bodies): any field name will do, as long as there is one. */
  anyField?: boolean;
  /** After a batch with accepted requests: let asynchronous effects (webhooks) land. */
  settle?: boolean;
  /**
   * Bugs found by this suite that cannot be fixed in validation (they are in services or
   * controllers, since fixed): a regression fails the suite; FUZZ_STRICT=0 only counts and prints them.
   */
  known?: KnownIssue[];
}

/** Known-issue hits of the whole run, by issue id: count and one example. */
export const knownHits = new Map<string, { count: number; example: string }>();

export interface Failure {
  index: number;
  problem: string;
  request: string;
  response: string;
}

/** All dotted key paths of a value (for "the field named is one the request sent"). */
export function keyPaths(v: unknown, prefix = '', out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 6 || typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.add(path);
    if (!Array.isArray(v)) keyPaths(x, path, out, depth + 1);
  }
  return out;
}

/** The error shape, and for a 400 a field that names the problem. */
export function shapeProblems(o: Outcome, endpoint: Endpoint<unknown>, r: FuzzRequest): string | null {
  if (!o.contentType.startsWith('application/json')) {
    return `content-type ${o.contentType || '(none)'}, body ${show(o.text, 200)}`;
  }
  const b = o.json;
  if (!isObj(b)) return 'error body is not a JSON object';
  if (b.statusCode !== o.status) return `statusCode ${show(b.statusCode)} differs from the HTTP status`;
  if (typeof b.error !== 'string' || !b.error) return 'error missing';
  if (typeof b.message !== 'string' || !b.message.trim()) return 'message missing or empty';
  if (typeof b.code !== 'string' || !b.code) return 'code missing';
  if (o.status === 400) {
    const details = Array.isArray(b.details) ? (b.details as unknown[]) : [];
    const named = typeof b.field === 'string' ? b.field : undefined;
    // Fastify's own 400s (unparseable JSON, a malformed URL) concern the request as a whole.
    const wholeRequest = b.field === undefined && (b.code === 'BAD_REQUEST' || String(b.code).startsWith('FST_'));
    if (named === undefined && !wholeRequest) return `400 without a field naming the problem (${show(b.message, 120)})`;
    const sent = new Set([...keyPaths(r.input), ...(r.extraKeys ?? [])]);
    if (named !== undefined && named.trim() === '' && !sent.has(named) && !endpoint.anyField) {
      // Checked first: the branch below would accept a blank name matched by a known prefix.
      return 'a blank field name the request did not send';
    }
    if (named !== undefined && !endpoint.anyField) {
      const known = [
        ...endpoint.fields,
        'body',
        'url',
        'Idempotency-Key',
        'Stripe-Signature',
        'Authorization',
        'X-Api-Key',
      ];
      const ok = sent.has(named) || known.some((k) => named === k || named.startsWith(`${k}.`));
      if (!ok) return `field ${show(named)} is neither a field of this endpoint nor one the request sent`;
    }
    for (const d of details) {
      if (!isObj(d) || typeof d.field !== 'string' || typeof d.message !== 'string' || !d.message) {
        return `details entry ${show(d)} lacks field/message`;
      }
    }
    // A validation message says which field is wrong, in words a client can show (domain errors word their own).
    if (b.code === 'VALIDATION_FAILED' && named && named.trim() && named !== 'body') {
      const message = String(b.message);
      const last = named.split('.').pop()!;
      if (![named, JSON.stringify(named), last].some((m) => message.includes(m))) {
        return `message ${show(b.message, 120)} does not mention the field ${show(named)}`;
      }
    }
  }
  return null;
}

export async function fuzz<I>(
  t: TestContext,
  endpoint: Endpoint<I>,
  seed: number,
  runs = RUNS,
): Promise<{ accepted: number; rejected: Record<number, number> }> {
  const inputs = fc.sample(endpoint.inputs, { seed, numRuns: runs });
  const failures: Failure[] = [];
  const rejected: Record<number, number> = {};
  let accepted = 0;
  let previousAccepted = false;
  for (let start = 0; start < inputs.length; start += CONCURRENCY) {
    const batch = inputs.slice(start, start + CONCURRENCY);
    if (previousAccepted && endpoint.settle) await settle(t);
    const before = await fingerprint(t);
    const requests = batch.map((i) => endpoint.request(i));
    const outcomes = await Promise.all(
      requests.map((r) =>
        send(t.baseUrl, r).catch((e: Error) => ({
          status: 0,
          contentType: '',
          text: `request failed: ${e.message}`,
          json: undefined,
        })),
      ),
    );
    const after = await fingerprint(t);
    let ok = 0;
    const allowedByRejects: Partial<Record<Table, number>> = {};
    outcomes.forEach((o, j) => {
      const index = start + j;
      const r = requests[j];
      const fail = (problem: string) => {
        const issue = endpoint.known?.find((k) => k.matches(r, o, problem));
        if (issue && !STRICT) {
          const hit = knownHits.get(issue.id) ?? {
            count: 0,
            example: `${describeRequest(r)} → ${o.status} ${show(o.text, 160)}`,
          };
          hit.count++;
          knownHits.set(issue.id, hit);
          return;
        }
        failures.push({
          index,
          problem: issue ? `[${issue.id}] ${problem}` : problem,
          request: describeRequest(r),
          response: `${o.status} ${show(o.text, 300)}`,
        });
      };
      if (o.status === 0) return fail(o.text);
      if (o.status >= 500) return fail(`${o.status}: a server error`);
      if (o.status >= 200 && o.status < 300) {
        ok++;
        const why = endpoint.invalid(batch[j], r);
        if (why.length) fail(`accepted (${o.status}) an invalid request: ${why.join(', ')}`);
        return;
      }
      if (o.status < 400) return fail(`unexpected ${o.status}`);
      rejected[o.status] = (rejected[o.status] ?? 0) + 1;
      const shape = shapeProblems(o, endpoint as Endpoint<unknown>, r);
      if (shape) fail(shape);
      for (const [tbl, n] of Object.entries(endpoint.rejectWrites?.(o) ?? {})) {
        allowedByRejects[tbl as Table] = (allowedByRejects[tbl as Table] ?? 0) + n;
      }
    });
    accepted += ok;
    previousAccepted = ok > 0;
    for (const tbl of Object.keys(before) as Table[]) {
      const hashed = tbl.endsWith('#');
      const [min, max] = endpoint.writes?.[tbl] ?? [0, 0];
      if (hashed) {
        if (before[tbl] !== after[tbl] && !(ok > 0 && endpoint.writes?.[tbl])) {
          failures.push({
            index: start,
            problem: `${HASHED[tbl as keyof typeof HASHED]} rows changed in a batch of ${ok ? `${ok} accepted and ` : ''}rejected requests`,
            request: `batch ${start}..${start + batch.length - 1}: ${requests
              .filter((_, j) => outcomes[j].status >= 400)
              .map(describeRequest)
              .slice(0, 3)
              .join(' | ')}`,
            response: '',
          });
        }
        continue;
      }
      const delta = Number(after[tbl]) - Number(before[tbl]);
      const extra = allowedByRejects[tbl] ?? 0;
      if (delta < ok * min + extra || delta > ok * max + extra) {
        failures.push({
          index: start,
          problem: `${tbl}: ${delta} rows written by a batch of ${ok} accepted and ${batch.length - ok} rejected requests (expected ${ok * min + extra}..${ok * max + extra})`,
          request: `batch ${start}..${start + batch.length - 1}: ${requests
            .map((r, j) => `${outcomes[j].status} ${describeRequest(r)}`)
            .slice(0, 5)
            .join(' | ')}`,
          response: '',
        });
      }
    }
  }
  if (failures.length && process.env.FUZZ_REPORT) {
    appendFileSync(
      process.env.FUZZ_REPORT,
      failures.map((f) => `${JSON.stringify({ endpoint: endpoint.name, ...f })}\n`).join(''),
    );
  }
  if (failures.length) {
    const lines = failures
      .slice(0, 15)
      .map((f) => `  #${f.index} ${f.problem}\n      request:  ${f.request}\n      response: ${f.response}`);
    throw new Error(
      `${endpoint.name}: ${failures.length} failing requests of ${inputs.length} (FUZZ_SEED=${SEED}, endpoint seed ${seed}):\n${lines.join('\n')}`,
    );
  }
  return { accepted, rejected };
}

/** A stable per-endpoint seed, so that adding an endpoint does not change the others' inputs. */
export function seedFor(name: string): number {
  let h = SEED | 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
