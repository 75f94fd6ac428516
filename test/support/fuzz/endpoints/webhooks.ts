/** The Stripe webhook: junk bodies and signatures, and correctly signed bodies that are not events. */
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { bodies, junkBody, junkValue, nastyString, weirdString, withHeader } from '../generators';
import { KNOWN } from '../known-issues';
import { isObj, unstorable, type Problems } from '../oracles';
import { junkSegment, segment } from '../queries';
import { endpoint, fuzzCase } from './case';

export const webhookUnsigned = fuzzCase('POST /api/stripe/webhook (junk bodies, junk signatures)', (w) => {
  const now = () => Math.floor(Date.now() / 1000);
  const signature = fc.oneof(
    fc.constant(undefined),
    nastyString,
    weirdString,
    fc.string({ unit: 'binary-ascii', maxLength: 200 }),
    fc
      .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
      .map((h) => `t=${now()},v1=${h}`),
    fc.constantFrom('t=,v1=', 't=abc,v1=abc', 'v1=abc', `t=${now()}`, 't=0,v1=0,v0=0', 't=99999999999999999999,v1=ab'),
  );
  // A body signed with a wrong secret, and a valid signature of a different body.
  const forged = (payload: string, kind: number) => {
    const ts = now();
    const secret = kind === 0 ? 'whsec_wrongsecret' : w.t.webhookSecret;
    const signed = kind === 2 ? `${payload} ` : payload;
    return `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${signed}`).digest('hex')}`;
  };
  const eventish = fc.record(
    {
      id: fc.oneof(fc.constant('evt_fuzz'), junkValue),
      type: fc.oneof(fc.constant('checkout.session.completed'), junkValue),
      created: junkValue,
      data: junkValue,
    },
    { requiredKeys: [] },
  );
  return endpoint({
    name: 'POST /api/stripe/webhook',
    inputs: fc.tuple(
      fc.oneof(junkBody, eventish),
      signature,
      fc.constantFrom(0, 2, 3, 4, 5),
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
    ),
    request: ([b, sig, kind, type]) => {
      const text = JSON.stringify(b) ?? '';
      const header = kind < 3 ? forged(text, kind) : sig;
      return {
        method: 'POST',
        path: '/api/stripe/webhook',
        headers: withHeader({ 'content-type': type }, 'stripe-signature', header),
        input: b,
        body: text,
      };
    },
    invalid: () => ['no valid signature'],
    fields: ['Stripe-Signature', 'body'],
  });
});

export const webhookSignedJunk = fuzzCase(
  'POST /api/stripe/webhook (correctly signed, but not an event)',
  (w) => {
    // Only Stripe (or whoever holds the webhook secret) can send these: a broken payload must still be a 400, never a 500.
    const validEvent = fc.record({
      id: fc.stringMatching(/^evt_fuzz_[A-Za-z0-9]{8}$/),
      object: fc.constant('event'),
      type: fc.constantFrom('fuzz.unknown', 'customer.created'),
      created: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      livemode: fc.constant(false),
      api_version: fc.constant('2025-01-27.acacia'),
      data: fc.constant({ object: { id: 'cus_fuzz', object: 'customer' } }),
    });
    const fields = {
      id: fc.stringMatching(/^evt_fuzz_[A-Za-z0-9]{8}$/),
      type: fc.constant('fuzz.unknown'),
      created: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      livemode: fc.boolean(),
      data: fc.constant({ object: {} }),
    };
    return endpoint({
      name: 'POST /api/stripe/webhook (signed junk)',
      inputs: bodies(validEvent, fields),
      request: (b) => {
        const text = JSON.stringify(b) ?? '';
        const ts = Math.floor(Date.now() / 1000);
        const signature = `t=${ts},v1=${createHmac('sha256', w.t.webhookSecret).update(`${ts}.${text}`).digest('hex')}`;
        return {
          method: 'POST',
          path: '/api/stripe/webhook',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          input: text ? JSON.parse(text) : undefined,
          body: text,
        };
      },
      invalid: (b) => {
        if (!isObj(b)) return ['not an event object'];
        const p: Problems = [];
        if (typeof b.id !== 'string' || !/^evt_[A-Za-z0-9_]+$/.test(b.id)) p.push('id');
        if (typeof b.type !== 'string' || !/^[a-z_.]+$/.test(b.type)) p.push('type');
        if (typeof b.created !== 'number' || !Number.isSafeInteger(b.created) || b.created < 0) p.push('created');
        if (unstorable(JSON.stringify(b)) || JSON.stringify(b).includes('\\u0000')) {
          p.push('text PostgreSQL jsonb cannot hold');
        }
        return p;
      },
      writes: { stripe_events: [0, 1] },
      fields: ['Stripe-Signature', 'body', 'id', 'type', 'created'],
      known: [KNOWN.webhookSignedJunk500, KNOWN.webhookSignedJunkStored],
    });
  },
  300,
);

/** Replaying a parked event (admin): junk event ids in the path; none is a parked event, so nothing changes. */
export const webhookReplay = fuzzCase('POST /api/admin/webhooks/:id/replay (junk and unknown ids)', (w) => {
  const id = fc.oneof(
    { arbitrary: junkSegment, weight: 4 },
    {
      arbitrary: fc
        .string({ unit: fc.constantFrom(...'abcXYZ019_'), minLength: 1, maxLength: 30 })
        .map((s) => `evt_${s}`),
      weight: 2,
    },
  );
  return endpoint({
    name: 'POST /api/admin/webhooks/:id/replay',
    inputs: id,
    request: (i) => ({
      method: 'POST',
      path: `/api/admin/webhooks/${segment(i)}/replay`,
      headers: { authorization: w.auth.admin },
      input: { id: i },
    }),
    invalid: () => ['no parked event by that id'],
    fields: ['id'],
  });
});
