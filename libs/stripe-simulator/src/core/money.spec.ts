import { formatMoney } from './money';

describe('formatMoney', () => {
  it('formats amounts in minor units with the currency', () => {
    expect(formatMoney(2500, 'aud')).toBe('A$25.00');
    expect(formatMoney(2500, 'usd')).toBe('$25.00');
    expect(formatMoney(2500, 'jpy')).toBe('¥2,500');
    expect(formatMoney(-500, 'aud')).toBe('-A$5.00');
  });
});
