import { accessUntil, grantsAt } from './entitlements';

const d = (s: string) => new Date(s);
const tiers = new Map([
  ['digital', ['digital']],
  ['print', ['print', 'digital']],
]);

describe('entitlement rule', () => {
  const base = { currentPeriodStart: d('2026-01-01T00:00:00Z'), currentPeriodEnd: d('2026-02-01T00:00:00Z'), pastDueSince: null };

  it('active monthly: until period end plus a day of slack', () => {
    expect(accessUntil({ ...base, status: 'active', billing: 'monthly' }, 7)).toEqual(d('2026-02-02T00:00:00Z'));
  });

  it('past due: grace days from the failed renewal, then nothing', () => {
    const sub = { ...base, status: 'past_due' as const, billing: 'monthly' as const, pastDueSince: d('2026-02-01T00:00:00Z') };
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
    const sub = { currentPeriodStart: d('2026-01-01T00:00:00Z'), currentPeriodEnd: d('2027-01-01T00:00:00Z'), pastDueSince: null, status: 'active' as const, billing: 'prepaid' as const, tierCode: 'digital' };
    expect(grantsAt([sub], tiers, d('2026-12-31T23:59:59Z'), 7).map((g) => g.code)).toEqual(['digital']);
    expect(grantsAt([sub], tiers, d('2027-01-01T00:00:00Z'), 7)).toEqual([]);
  });

  it('print includes digital, and the longest grant wins', () => {
    const print = { ...base, status: 'active' as const, billing: 'monthly' as const, tierCode: 'print' };
    const digital = { currentPeriodStart: d('2026-01-01T00:00:00Z'), currentPeriodEnd: d('2027-01-01T00:00:00Z'), pastDueSince: null, status: 'active' as const, billing: 'prepaid' as const, tierCode: 'digital' };
    const grants = grantsAt([print, digital], tiers, d('2026-01-15T00:00:00Z'), 7);
    expect(grants.map((g) => [g.code, g.tier])).toEqual([
      ['digital', 'digital'],
      ['print', 'print'],
    ]);
  });
});
