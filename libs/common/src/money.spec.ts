import { formatMoney, sumMinor, assertMinorUnits } from './money';

describe('money', () => {
  it('formats minor units without floating point', () => {
    expect(formatMoney({ amount: 12345678, currency: 'AUD' })).toBe('$123,456.78');
    expect(formatMoney({ amount: 5, currency: 'AUD' })).toBe('$0.05');
    expect(formatMoney({ amount: -250, currency: 'AUD' })).toBe('-$2.50');
    expect(formatMoney({ amount: 1000, currency: 'USD' })).toMatch(/10\.00$/);
    expect(formatMoney({ amount: 1000, currency: 'JPY' })).toMatch(/1,000$/);
  });

  it('sums integers exactly and refuses fractions or unsafe values', () => {
    expect(sumMinor([10, 20, 30])).toBe(60);
    expect(() => sumMinor([1.5])).toThrow(RangeError);
    expect(() => assertMinorUnits(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });
});
