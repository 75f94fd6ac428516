import { accessUntil, grantsAt, OPEN_ENDED } from './entitlements';

const d = (s: string) => new Date(s);
const tiers = new Map([
  ['digital', ['digital']],
  ['print', ['print', 'digital']],
]);

describe('entitlement rule', () => {
  const base = {
    currentPeriodStart: d('2026-01-01T00:00:00Z'),
    currentPeriodEnd: d('2026-02-01T00:00:00Z'),
    pastDueSince: null,
  };

  it('active monthly: until period end plus a day of slack', () => {
    expect(accessUntil({ ...base, status: 'active', billing: 'monthly' }, 7)).toEqual(d('2026-02-02T00:00:00Z'));
  });

  it('past due: grace days from the failed renewal, then nothing', () => {
    const sub = {
      ...base,
      status: 'past_due' as const,
      billing: 'monthly' as const,
      pastDueSince: d('2026-02-01T00:00:00Z'),
    };
    expect(accessUntil(sub, 7)).toEqual(d('2026-02-08T00:00:00Z'));
    expect(grantsAt([{ ...sub, tierCode: 'digital' }], tiers, d('2026-02-05T00:00:00Z'), 7)).toHaveLength(1);
    expect(grantsAt([{ ...sub, tierCode: 'digital' }], tiers, d('2026-02-09T00:00:00Z'), 7)).toHaveLength(0);
  });

  it('canceled, unpaid and incomplete grant nothing', () => {
    for (const status of ['canceled', 'unpaid', 'incomplete', 'ended'] as const) {
      expect(accessUntil({ ...base, status, billing: 'monthly' }, 7)).toBeNull();
    }
  });

  it('prepaid: from start to end, exactly', () => {
    const sub = {
      currentPeriodStart: d('2026-01-01T00:00:00Z'),
      currentPeriodEnd: d('2027-01-01T00:00:00Z'),
      pastDueSince: null,
      status: 'active' as const,
      billing: 'prepaid' as const,
      tierCode: 'digital',
    };
    expect(grantsAt([sub], tiers, d('2026-12-31T23:59:59Z'), 7).map((g) => g.code)).toEqual(['digital']);
    expect(grantsAt([sub], tiers, d('2027-01-01T00:00:00Z'), 7)).toEqual([]);
  });

  it('print includes digital, and the longest grant wins', () => {
    const print = { ...base, status: 'active' as const, billing: 'monthly' as const, tierCode: 'print' };
    const digital = {
      currentPeriodStart: d('2026-01-01T00:00:00Z'),
      currentPeriodEnd: d('2027-01-01T00:00:00Z'),
      pastDueSince: null,
      status: 'active' as const,
      billing: 'prepaid' as const,
      tierCode: 'digital',
    };
    const grants = grantsAt([print, digital], tiers, d('2026-01-15T00:00:00Z'), 7);
    expect(grants.map((g) => [g.code, g.tier])).toEqual([
      ['digital', 'digital'],
      ['print', 'print'],
    ]);
  });

  it('complimentary: until its end, or for good without one; ended grants nothing', () => {
    const comp = {
      currentPeriodStart: d('2026-01-01T00:00:00Z'),
      currentPeriodEnd: null,
      pastDueSince: null,
      status: 'active' as const,
      billing: 'complimentary' as const,
      tierCode: 'print',
    };
    expect(accessUntil(comp, 7)).toEqual(OPEN_ENDED);
    expect(grantsAt([comp], tiers, d('2090-01-01T00:00:00Z'), 7).map((g) => g.code)).toEqual(['digital', 'print']);
    expect(grantsAt([comp], tiers, d('2025-12-31T00:00:00Z'), 7)).toEqual([]);
    const ending = { ...comp, currentPeriodEnd: d('2026-07-01T00:00:00Z') };
    expect(grantsAt([ending], tiers, d('2026-06-30T00:00:00Z'), 7)).toHaveLength(2);
    expect(grantsAt([ending], tiers, d('2026-07-01T00:00:00Z'), 7)).toEqual([]);
    expect(accessUntil({ ...comp, status: 'ended' }, 7)).toBeNull();
  });

  it('a prepaid period bought early runs on from the current end without a gap; a later one with a gap does not', () => {
    const period = (start: string, end: string) => ({
      status: 'active' as const,
      billing: 'prepaid' as const,
      currentPeriodStart: d(start),
      currentPeriodEnd: d(end),
      pastDueSince: null,
      tierCode: 'digital',
    });
    const now = d('2026-06-01T00:00:00Z');
    const current = period('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const next = period('2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
    expect(grantsAt([next, current], tiers, now, 7)).toEqual([
      { code: 'digital', until: d('2028-01-01T00:00:00Z'), status: 'active', tier: 'digital', billing: 'prepaid' },
    ]);
    const afterGap = period('2027-02-01T00:00:00Z', '2028-02-01T00:00:00Z');
    expect(grantsAt([afterGap, current], tiers, now, 7)[0].until).toEqual(d('2027-01-01T00:00:00Z'));
    // Nothing runs now: a period that starts later grants nothing yet.
    expect(grantsAt([next], tiers, now, 7)).toEqual([]);
  });
});
