/** The staff API: the phone line, corrections (reversals, refunds), administration (staff, campaigns, prices). */
import fc from 'fast-check';
import { addressArb, bodies, emailArb, idempotencyKey, nameArb, slugArb, withHeader } from '../generators';
import { KNOWN } from '../known-issues';
import {
  address,
  email,
  int,
  isObj,
  isoDate,
  oneOf,
  onlyKeys,
  subscriptionBody,
  text,
  type Problems,
} from '../oracles';
import { junkSegment, segment } from '../queries';
import { jsonRequest } from '../requests';
import type { FuzzWorld } from '../world';
import { endpoint, fuzzCase } from './case';
import { subscriptionFieldNames, subscriptionFields, validSubscription } from './public';

export const phoneDonations = fuzzCase('POST /api/phone-donations (with Idempotency-Key)', (w) => {
  const supporter = fc.record(
    {
      name: nameArb,
      email: emailArb,
      phone: fc.constantFrom('+61 2 5550 1234', '0412 345 678', '(02) 5550-1234'),
      address: addressArb,
    },
    { requiredKeys: ['name'] },
  );
  const valid = fc.record(
    {
      supporter,
      amount: fc.integer({ min: 100, max: 10_000_000 }),
      method: fc.constantFrom('cash', 'cheque', 'bank_transfer', 'card'),
      frequency: fc.constant('one_off'),
      campaign: fc.constantFrom('fighting-fund', 'fuzz-target'),
      reference: fc.constantFrom('R-1', 'CHQ 000123'),
      note: fc.constantFrom('called after the appeal', 'Zoë 🎉'),
    },
    { requiredKeys: ['supporter', 'amount', 'method'] },
  );
  const inputs = fc.tuple(
    bodies(valid, {
      supporter,
      amount: fc.integer({ min: 100, max: 10_000_000 }),
      method: fc.constantFrom('cash', 'card'),
      frequency: fc.constantFrom('one_off', 'monthly'),
      campaign: fc.constant('fuzz-target'),
      reference: fc.constant('R-2'),
      note: fc.constant('note'),
      'supporter.name': nameArb,
      'supporter.email': emailArb,
      'supporter.phone': fc.constant('+61 2 5550 1234'),
      'supporter.address': addressArb,
      'supporter.address.line1': fc.constant('1 Main St'),
    }),
    idempotencyKey,
  );
  return endpoint({
    name: 'POST /api/phone-donations',
    inputs,
    request: ([b, key]) =>
      jsonRequest(
        'POST',
        '/api/phone-donations',
        b,
        withHeader({ authorization: w.auth.phone }, 'idempotency-key', key),
      ),
    invalid: ([b], r) => {
      const p: Problems = [];
      const key = r.headers['idempotency-key'];
      if (!key || !/^[A-Za-z0-9_.:-]{8,200}$/.test(key)) p.push('Idempotency-Key invalid');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['supporter', 'amount', 'method', 'frequency', 'campaign', 'reference', 'note']);
      if (!isObj(b.supporter)) p.push('supporter not an object');
      else {
        onlyKeys(p, b.supporter, ['name', 'email', 'phone', 'address'], 'supporter.');
        text(p, b.supporter.name, 'supporter.name', 200);
        email(p, b.supporter.email, 'supporter.email', false);
        if (
          b.supporter.phone !== undefined &&
          (typeof b.supporter.phone !== 'string' || !/^\+?[0-9 ()-]{6,20}$/.test(b.supporter.phone.trim()))
        ) {
          p.push('supporter.phone');
        }
        address(p, b.supporter.address, 'supporter.address');
        if (b.method === 'card' && b.supporter.email === undefined) p.push('card without email');
      }
      int(p, b.amount, 'amount', 100, 10_000_000);
      oneOf(p, b.method, 'method', ['cash', 'cheque', 'bank_transfer', 'card']);
      oneOf(p, b.frequency, 'frequency', ['one_off', 'monthly'], false);
      if (b.frequency === 'monthly' && b.method !== 'card') p.push('monthly without card');
      if (
        b.campaign !== undefined &&
        (typeof b.campaign !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(b.campaign))
      ) {
        p.push('campaign');
      }
      text(p, b.reference, 'reference', 100, { required: false, min: 0 });
      text(p, b.note, 'note', 1000, { required: false, min: 0 });
      return p;
    },
    writes: {
      supporters: [0, 1],
      'supporters#': [0, 1],
      ledger_entries: [0, 1],
      receipts: [0, 1],
      audit_log: [0, 1],
      phone_requests: [0, 1],
      emails: [0, 1],
      checkouts: [0, 1],
      stripe_prices: [0, 1],
      card_link_sends: [0, 1],
    },
    fields: [
      'supporter',
      'amount',
      'method',
      'frequency',
      'campaign',
      'reference',
      'note',
      'supporter.name',
      'supporter.email',
      'supporter.phone',
      'supporter.address',
    ],
  });
});

export const phoneSubscriptions = fuzzCase('POST /api/phone-subscriptions', (w) => {
  return endpoint({
    name: 'POST /api/phone-subscriptions',
    inputs: bodies(validSubscription, subscriptionFields),
    request: (b) => jsonRequest('POST', '/api/phone-subscriptions', b, { authorization: w.auth.phone }),
    invalid: (b) => {
      const p: Problems = [];
      subscriptionBody(p, b);
      return p;
    },
    // The Checkout link is emailed to the caller (once per checkout: a reused one was emailed already);
    // a new caller's record is kept when the link is sent.
    writes: {
      supporters: [0, 1],
      'supporters#': [0, 1],
      checkouts: [0, 1],
      stripe_prices: [0, 1],
      audit_log: [1, 1],
      emails: [0, 1],
      card_link_sends: [0, 1],
    },
    fields: subscriptionFieldNames,
  });
});

// ----- corrections -------------------------------------------------------------------

/** A ledger entry id: a real one (phone donations, the card payment) or junk. */
const entryId = (w: FuzzWorld) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...w.phoneEntries, w.cardEntry), weight: 3 },
    { arbitrary: junkSegment, weight: 3 },
    {
      arbitrary: fc.constantFrom('1', '0', '-1', '999999999999999999', '9999999999999999999', '1.0', ' 1', '1 '),
      weight: 1,
    },
  );

export const reversal = fuzzCase('POST /api/ledger-entries/:id/reversal', (w) => {
  const reason = fc.constantFrom('entered twice by mistake', 'wrong amount keyed', 'Zoë typed it 🎉');
  return endpoint({
    name: 'POST /api/ledger-entries/:id/reversal',
    inputs: fc.tuple(entryId(w), bodies(fc.record({ reason }), { reason })),
    request: ([id, b]) =>
      jsonRequest('POST', `/api/ledger-entries/${segment(id)}/reversal`, b, { authorization: w.auth.finance }),
    invalid: ([id, b]) => {
      const p: Problems = [];
      if (!/^\d{1,18}$/.test(id) || id === w.cardEntry) p.push('not a phone entry');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['reason']);
      text(p, b.reason, 'reason', 500, { min: 3 });
      return p;
    },
    // A reversal of an entry whose receipt was emailed also writes the correction email.
    writes: { ledger_entries: [1, 1], audit_log: [1, 1], emails: [0, 1] },
    fields: ['reason', 'id'],
  });
});

export const refund = fuzzCase('POST /api/ledger-entries/:id/refund (with Idempotency-Key)', (w) => {
  const reason = fc.constantFrom('requested_by_customer', 'duplicate', 'fraudulent');
  const valid = fc.record(
    { amount: fc.integer({ min: 1, max: 2000 }), reason, note: fc.constantFrom('asked on the phone', 'Zoë') },
    { requiredKeys: ['reason'] },
  );
  return endpoint({
    name: 'POST /api/ledger-entries/:id/refund',
    inputs: fc.tuple(
      entryId(w),
      bodies(valid, { amount: fc.integer({ min: 1, max: 2000 }), reason, note: fc.constant('note') }),
      idempotencyKey,
    ),
    request: ([id, b, key]) =>
      jsonRequest(
        'POST',
        `/api/ledger-entries/${segment(id)}/refund`,
        b,
        withHeader({ authorization: w.auth.finance }, 'idempotency-key', key),
      ),
    invalid: ([id, b], r) => {
      const p: Problems = [];
      if (id !== w.cardEntry) p.push('not the card payment');
      const key = r.headers['idempotency-key'];
      if (!key || !/^[A-Za-z0-9_.:-]{8,200}$/.test(key)) p.push('Idempotency-Key invalid');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['amount', 'reason', 'note']);
      int(p, b.amount, 'amount', 1, 500_000, false);
      oneOf(p, b.reason, 'reason', ['requested_by_customer', 'duplicate', 'fraudulent']);
      text(p, b.note, 'note', 500, { required: false, min: 0 });
      return p;
    },
    // The refund itself reaches the ledger later, by webhook, and its notice the outbox.
    writes: {
      audit_log: [1, 1],
      staff_refund_requests: [1, 1],
      ledger_entries: [0, 1],
      stripe_events: [0, 10],
      emails: [0, 1],
    },
    settle: true,
    fields: ['amount', 'reason', 'note', 'id'],
  });
});

// ----- administration ----------------------------------------------------------------

export const createStaff = fuzzCase('POST /api/staff', (w) => {
  const role = fc.constantFrom('phone', 'finance', 'admin');
  return endpoint({
    name: 'POST /api/staff',
    // Every account created costs a scrypt hash (~0.1 s of CPU): fewer valid bodies here.
    inputs: bodies(
      fc.record({ email: emailArb, name: nameArb, role }),
      { email: fc.constantFrom('victim.phone@staff.test', 'new@staff.test'), name: nameArb, role },
      { validWeight: 2 },
    ),
    request: (b) => jsonRequest('POST', '/api/staff', b, { authorization: w.auth.admin }),
    invalid: (b) => {
      const p: Problems = [];
      if (!isObj(b)) return ['body not an object'];
      onlyKeys(p, b, ['email', 'name', 'role']);
      email(p, b.email, 'email');
      text(p, b.name, 'name', 200);
      oneOf(p, b.role, 'role', ['phone', 'finance', 'admin']);
      return p;
    },
    writes: { staff: [1, 1], audit_log: [1, 1], 'staff#': [1, 1] },
    fields: ['email', 'name', 'role'],
    known: [KNOWN.staffCreateRace],
  });
});

export const updateStaff = fuzzCase('PATCH /api/staff/:id', (w) => {
  const role = fc.constantFrom('phone', 'finance', 'admin');
  const disabled = fc.boolean();
  const id = fc.oneof(
    { arbitrary: fc.constantFrom(...w.victims, w.adminId), weight: 3 },
    { arbitrary: junkSegment, weight: 2 },
    { arbitrary: fc.uuid(), weight: 1 },
  );
  return endpoint({
    name: 'PATCH /api/staff/:id',
    inputs: fc.tuple(id, bodies(fc.record({ role, disabled }, { requiredKeys: [] }), { role, disabled })),
    request: ([sid, b]) => jsonRequest('PATCH', `/api/staff/${segment(sid)}`, b, { authorization: w.auth.admin }),
    invalid: ([sid, b]) => {
      const p: Problems = [];
      if (![...w.victims, w.adminId].includes(sid)) p.push('no such staff member');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['role', 'disabled']);
      oneOf(p, b.role, 'role', ['phone', 'finance', 'admin'], false);
      if (b.disabled !== undefined && typeof b.disabled !== 'boolean') p.push('disabled not a boolean');
      if (sid === w.adminId && (b.disabled === true || (b.role !== undefined && b.role !== 'admin'))) {
        p.push('an administrator demoting or disabling themselves');
      }
      return p;
    },
    writes: { audit_log: [1, 1], 'staff#': [1, 1] },
    fields: ['role', 'disabled', 'id'],
  });
});

const LEDGER_TYPES = ['donation', 'monthly_donation', 'subscription', 'prepaid_subscription'];
const campaignFields = {
  title: fc.constantFrom('Fighting fund 2027', 'Zoë 🎉 appeal'),
  target: fc.integer({ min: 1, max: 9_000_000_000_000 }),
  startsAt: fc.constantFrom('2026-01-01T00:00:00Z', '2026-06-01', '2025-03-01T10:00:00.000+10:00'),
  endsAt: fc.constantFrom('2027-12-31T00:00:00Z', null),
  countedTypes: fc.subarray(LEDGER_TYPES, { minLength: 1 }),
  current: fc.constant(false),
};
const campaignBody = (p: Problems, b: unknown, create: boolean) => {
  if (!isObj(b)) return void p.push('body not an object');
  onlyKeys(p, b, ['title', 'target', 'startsAt', 'endsAt', 'countedTypes', 'current', ...(create ? ['slug'] : [])]);
  if (create && (typeof b.slug !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(b.slug) || b.slug === 'current')) {
    p.push('slug');
  }
  text(p, b.title, 'title', 200, { required: create });
  int(p, b.target, 'target', 1, 9_000_000_000_000, create);
  isoDate(p, b.startsAt, 'startsAt');
  isoDate(p, b.endsAt, 'endsAt', true);
  if (
    b.countedTypes !== undefined &&
    (!Array.isArray(b.countedTypes) ||
      !b.countedTypes.length ||
      new Set(b.countedTypes).size !== b.countedTypes.length ||
      b.countedTypes.some((x) => !LEDGER_TYPES.includes(x as string)))
  ) {
    p.push('countedTypes');
  }
  if (b.current !== undefined && typeof b.current !== 'boolean') p.push('current');
};

export const createCampaign = fuzzCase('POST /api/campaigns', (w) => {
  const valid = fc.record(
    {
      slug: slugArb,
      title: campaignFields.title,
      target: campaignFields.target,
      startsAt: campaignFields.startsAt,
      endsAt: campaignFields.endsAt,
      countedTypes: campaignFields.countedTypes,
      current: fc.boolean(),
    },
    { requiredKeys: ['slug', 'title', 'target'] },
  );
  return endpoint({
    name: 'POST /api/campaigns',
    inputs: bodies(valid, {
      slug: fc.oneof(slugArb, fc.constantFrom('fighting-fund', 'current')),
      ...campaignFields,
    }),
    request: (b) => jsonRequest('POST', '/api/campaigns', b, { authorization: w.auth.admin }),
    invalid: (b) => {
      const p: Problems = [];
      campaignBody(p, b, true);
      return p;
    },
    writes: { campaigns: [1, 1], audit_log: [1, 1], 'campaigns#': [1, 1] },
    fields: ['slug', 'title', 'target', 'startsAt', 'endsAt', 'countedTypes', 'current'],
  });
});

export const updateCampaign = fuzzCase('PATCH /api/campaigns/:slug', (w) => {
  const valid = fc.record(
    {
      title: campaignFields.title,
      target: campaignFields.target,
      endsAt: campaignFields.endsAt,
      countedTypes: campaignFields.countedTypes,
    },
    { requiredKeys: [] },
  );
  const slug = fc.oneof(
    { arbitrary: fc.constantFrom('fuzz-target', 'current', 'fighting-fund'), weight: 3 },
    { arbitrary: junkSegment, weight: 2 },
  );
  return endpoint({
    name: 'PATCH /api/campaigns/:slug',
    inputs: fc.tuple(slug, bodies(valid, campaignFields)),
    request: ([s, b]) => jsonRequest('PATCH', `/api/campaigns/${segment(s)}`, b, { authorization: w.auth.admin }),
    invalid: ([s, b]) => {
      const p: Problems = [];
      if (!['fuzz-target', 'current', 'fighting-fund'].includes(s) && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)) {
        p.push('slug');
      }
      campaignBody(p, b, false);
      return p;
    },
    writes: { audit_log: [1, 1], 'campaigns#': [1, 1] },
    fields: ['title', 'target', 'startsAt', 'endsAt', 'countedTypes', 'current', 'slug'],
    known: [KNOWN.campaignSlugNul],
  });
});

export const tierPrice = fuzzCase('PUT /api/admin/tiers/:code/price', (w) => {
  const fields = {
    monthlyAmount: fc.integer({ min: 50, max: 10_000_000 }),
    prepaidAmount: fc.integer({ min: 50, max: 100_000_000 }),
    prepaidMonths: fc.constantFrom(12, 6, 1),
  };
  const code = fc.oneof(
    { arbitrary: fc.constantFrom('digital', 'print'), weight: 3 },
    { arbitrary: junkSegment, weight: 2 },
  );
  return endpoint({
    name: 'PUT /api/admin/tiers/:code/price',
    inputs: fc.tuple(code, bodies(fc.record(fields, { requiredKeys: ['monthlyAmount'] }), fields)),
    request: ([c, b]) => jsonRequest('PUT', `/api/admin/tiers/${segment(c)}/price`, b, { authorization: w.auth.admin }),
    invalid: ([c, b]) => {
      const p: Problems = [];
      if (!['digital', 'print'].includes(c)) p.push('no such tier');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['monthlyAmount', 'prepaidAmount', 'prepaidMonths']);
      int(p, b.monthlyAmount, 'monthlyAmount', 50, 10_000_000);
      int(p, b.prepaidAmount, 'prepaidAmount', 50, 100_000_000, false);
      int(p, b.prepaidMonths, 'prepaidMonths', 1, 36, false);
      return p;
    },
    writes: { audit_log: [1, 1], 'tiers#': [1, 1] },
    fields: ['monthlyAmount', 'prepaidAmount', 'prepaidMonths', 'code'],
  });
});
