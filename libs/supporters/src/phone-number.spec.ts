import { phoneQuery, toE164 } from './phone-number';

describe('phone numbers', () => {
  it('stores one E.164 form whatever the caller typed, read in AU by default', () => {
    for (const typed of ['0255501111', '02 5550 1111', '+61 2 5550 1111', '(02) 5550-1111', '+61255501111']) {
      expect(toE164(typed)).toBe('+61255501111');
    }
    expect(toE164('+1 415 555 0100')).toBe('+14155550100');
    expect(toE164('5550 1111')).toBeNull();
    expect(toE164('12345')).toBeNull();
  });

  it('a search term is a whole number, the start of one, or not a number', () => {
    expect(phoneQuery('02 5550 1111')).toEqual({ exact: '+61255501111' });
    expect(phoneQuery('0400 000')).toEqual({ prefix: '+61400000' });
    expect(phoneQuery('+61 400 00')).toEqual({ prefix: '+6140000' });
    expect(phoneQuery('2000')).toBeNull();
    expect(phoneQuery('Gwen')).toBeNull();
  });
});
