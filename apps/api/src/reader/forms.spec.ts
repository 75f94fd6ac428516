import { addressProblems, amountInput, parseAmount } from './forms';

describe('parseAmount: what a person types, as integer cents', () => {
  it.each([
    ['25', 2500],
    ['25.00', 2500],
    ['25.5', 2550],
    ['0.5', 50],
    ['.5', 50],
    ['10.05', 1005],
    ['0.29', 29],
    ['1,000.50', 100050],
    ['$25', 2500],
    ['A$ 12.34', 1234],
    [' 7 ', 700],
    ['99999999.99', 9999999999],
  ])('%s → %i', (typed, cents) => {
    expect(parseAmount(typed, 'AUD')).toEqual({ amount: cents });
  });

  it.each(['', 'abc', '25.555', '1.2.3', '-5', '1e3', '25,00', '12,34.5', '.', '0x10', '1 000 000 000 000 000'])(
    '%j is refused with a message',
    (typed) => {
      expect(parseAmount(typed, 'AUD')).toEqual({ problem: expect.any(String) });
    },
  );

  it('a zero-decimal currency takes whole amounts only', () => {
    expect(parseAmount('2500', 'JPY')).toEqual({ amount: 2500 });
    expect(parseAmount('25.5', 'JPY')).toEqual({ problem: 'Enter a whole amount' });
  });

  it('amountInput writes cents back as typed', () => {
    expect(amountInput(2550, 'AUD')).toBe('25.50');
    expect(amountInput(100050, 'AUD')).toBe('1000.50');
  });
});

describe('addressProblems: an Australian delivery address', () => {
  const ok = { line1: '12 Smith St', line2: '', city: 'Newtown', state: 'NSW', postalCode: '2042' };

  it('a good address has none', () => {
    expect(addressProblems(ok)).toEqual({});
    expect(addressProblems({ ...ok, state: 'ACT', postalCode: '2600' })).toEqual({});
    expect(addressProblems({ ...ok, state: 'NT', postalCode: '0800' })).toEqual({});
  });

  it('a postcode of another state is named, with the state', () => {
    expect(addressProblems({ ...ok, state: 'VIC' })).toEqual({
      'address.postalCode': 'Postcode 2042 is not in VIC: check the postcode and the state',
    });
    expect(addressProblems({ ...ok, state: 'NSW', postalCode: '2600' })['address.postalCode']).toMatch(/not in NSW/);
  });

  it.each(['constructor', '__proto__', 'toString'])('a state named %s is no state', (state) => {
    expect(addressProblems({ ...ok, state })).toEqual({ 'address.state': 'Choose the state or territory' });
  });

  it('missing parts and a malformed postcode are each named', () => {
    expect(addressProblems({ line1: '', line2: '', city: '', state: 'XX', postalCode: '20420' })).toEqual({
      'address.line1': 'Enter the street address',
      'address.city': 'Enter the suburb or town',
      'address.state': 'Choose the state or territory',
      'address.postalCode': 'Enter the four-digit postcode',
    });
  });
});
