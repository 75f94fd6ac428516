import { ERASED, scrubSnapshot } from './audit-privacy';

describe('scrubSnapshot', () => {
  it('erases personal keys at any depth and strings containing a needle; keeps ids, amounts and nulls', () => {
    const snapshot = {
      id: '42',
      amount: 2500,
      supporter: { name: 'Gwen Caller', email: 'gwen@example.com' },
      note: 'called twice',
      reason: 'Gwen Caller asked for her money back',
      deliveryAddress: null,
      items: [{ email: 'GWEN@example.com' }, { checkoutUrl: 'http://x/cs_1' }],
      phoneNumbers: ['+61 2 5550 1111'],
      emails: 3,
    };
    expect(scrubSnapshot(snapshot, ['gwen@example.com', 'Gwen Caller', '+61 2 5550 1111', 'x'])).toEqual({
      id: '42',
      amount: 2500,
      supporter: ERASED,
      note: ERASED,
      reason: ERASED,
      deliveryAddress: null,
      items: [{ email: ERASED }, { checkoutUrl: 'http://x/cs_1' }],
      phoneNumbers: [ERASED],
      emails: 3,
    });
  });

  it('leaves null and scalar snapshots as they are', () => {
    expect(scrubSnapshot(null, ['gwen@example.com'])).toBeNull();
    expect(scrubSnapshot(7, ['gwen@example.com'])).toBe(7);
  });
});
