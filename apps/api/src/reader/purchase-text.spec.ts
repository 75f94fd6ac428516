import type { PurchaseSummary } from '@app/subscriptions';
import { purchaseText } from './purchase-text';

const TZ = 'Australia/Sydney';
const base: PurchaseSummary = {
  id: '00000000-0000-4000-8000-000000000001',
  status: 'complete',
  purpose: 'donation',
  frequency: 'one_off',
  amount: 2500,
  currency: 'AUD',
  campaign: null,
  tier: null,
  prepaidMonths: null,
  deliveryAddress: null,
  completedAt: new Date('2026-12-04T01:00:00Z'),
  subscription: null,
};
const address = { line1: '12 Smith St', city: 'Newtown', state: 'NSW', postalCode: '2042', country: 'AU' };

describe('purchaseText: the thank-you page says what was bought', () => {
  it('a one-off donation', () => {
    expect(purchaseText(base, TZ).headline).toBe('Thank you for your donation of $25.00');
  });

  it('a monthly donation, from the day it started (local day)', () => {
    const t = purchaseText(
      {
        ...base,
        frequency: 'monthly',
        amount: 1000,
        subscription: {
          currentPeriodStart: new Date('2026-12-03T20:00:00Z'),
          currentPeriodEnd: null,
          deliveryAddress: null,
        },
      },
      TZ,
    );
    expect(t.headline).toBe('Thank you for your monthly donation of $10.00 from 4 December');
  });

  it('a print subscription names the address the first issue goes to', () => {
    const t = purchaseText(
      {
        ...base,
        purpose: 'subscription',
        frequency: 'monthly',
        amount: 1000,
        tier: { code: 'print', name: 'Print edition' },
        deliveryAddress: address,
      },
      TZ,
    );
    expect(t.headline).toBe('Thank you for your print subscription');
    expect(t.lines[0]).toBe('Your print subscription: first issue to 12 Smith St, Newtown NSW 2042.');
  });

  it('a prepaid digital year says until when, in the local time zone', () => {
    const t = purchaseText(
      {
        ...base,
        purpose: 'subscription',
        frequency: 'prepaid',
        amount: 6000,
        prepaidMonths: 12,
        tier: { code: 'digital', name: 'Digital edition' },
        subscription: {
          currentPeriodStart: new Date('2026-12-04T01:00:00Z'),
          currentPeriodEnd: new Date('2027-12-04T01:00:00Z'),
          deliveryAddress: null,
        },
      },
      TZ,
    );
    expect(t.headline).toBe('Thank you: digital access until 4 December 2027');
  });

  it('while the payment is being confirmed it says so', () => {
    const t = purchaseText({ ...base, status: 'open' }, TZ);
    expect(t.pending).toBe(true);
    expect(t.lines.at(-1)).toMatch(/being confirmed/);
  });
});
