import { describePayment, howPaid } from './describe-payment';
import type { EntryFacts } from './receipts.repository';

const facts = (over: Partial<EntryFacts>): EntryFacts => ({
  id: '1',
  kind: 'payment',
  type: 'donation',
  channel: 'online',
  method: 'card',
  gross: 2500,
  currency: 'AUD',
  occurredAt: new Date('2026-12-04T00:00:00Z'),
  reference: null,
  description: null,
  supporterId: null,
  reversesEntryId: null,
  email: null,
  name: null,
  emailReceipts: true,
  campaignTitle: null,
  tierName: null,
  prepaidMonths: null,
  ...over,
});

describe('what a receipt says a payment was for', () => {
  it('a one-off donation, toward its campaign', () => {
    expect(describePayment(facts({ campaignTitle: 'Winter appeal' }))).toEqual({
      what: 'donation',
      bracketAmount: false,
      thanksFor: 'donation',
      months: null,
      forLine: 'One-off donation to Winter appeal',
    });
  });

  it('a monthly donation, a month of a tier, a prepaid period', () => {
    expect(describePayment(facts({ type: 'monthly_donation' })).forLine).toBe('Monthly donation');
    expect(describePayment(facts({ type: 'subscription', tierName: 'Print edition' }))).toMatchObject({
      what: 'Print edition subscription',
      bracketAmount: true,
      forLine: 'Print edition subscription, one month',
    });
    expect(
      describePayment(facts({ type: 'prepaid_subscription', tierName: 'Digital edition', prepaidMonths: 12 })),
    ).toMatchObject({ months: '12 months of Digital edition', forLine: 'Digital edition, 12 months paid in advance' });
  });

  it("a phone payment's own words win", () => {
    const words = describePayment(facts({ type: 'prepaid_subscription', channel: 'phone', method: 'cash' }), {
      tierName: 'Digital edition',
      months: 3,
      for: 'Digital edition, 3 months',
    });
    expect(words).toMatchObject({ months: '3 months of Digital edition', forLine: 'Digital edition, 3 months' });
  });

  it('how it was paid', () => {
    expect(howPaid('cash')).toBe('in cash');
    expect(howPaid('bank_transfer')).toBe('by bank transfer');
    expect(howPaid('card')).toBe('by card');
    expect(howPaid('out_of_band')).toBeNull();
  });
});
