import { australianAddress } from './address-form';

describe('australianAddress', () => {
  const good = { line1: ' 12  Smith St ', city: 'Newtown', state: 'nsw', postalCode: '2042' };

  it('trims, upper-cases the state and answers an AU address', () => {
    expect(australianAddress(good)).toEqual({
      address: { line1: '12 Smith St', city: 'Newtown', state: 'NSW', postalCode: '2042', country: 'AU' },
    });
  });

  it.each([
    [{ ...good, line1: '' }, 'line1'],
    [{ ...good, city: '  ' }, 'city'],
    [{ ...good, state: 'XYZ' }, 'state'],
    [{ ...good, postalCode: '20420' }, 'postalCode'],
    [{ ...good, postalCode: '3000' }, 'postalCode'], // Melbourne's postcode in NSW
    [{ ...good, state: 'NT', postalCode: '0800', line2: 'x'.repeat(201) }, 'line2'],
  ])('names the wrong field (%#)', (form, field) => {
    const { errors } = australianAddress(form);
    expect(Object.keys(errors ?? {})).toEqual([field]);
  });

  it('accepts the territories’ leading-zero postcodes', () => {
    expect(australianAddress({ ...good, state: 'NT', postalCode: '0800' }).address?.postalCode).toBe('0800');
    expect(australianAddress({ ...good, state: 'ACT', postalCode: '2600' }).address?.state).toBe('ACT');
  });
});
