import { StripeApiError } from '../core/errors';
import { parseFormBody } from './form-body';

describe('parseFormBody (Stripe bracket encoding)', () => {
  it('nests hashes and indexed lists, keeping numeric hash keys as keys', () => {
    const body =
      'mode=payment&line_items[0][quantity]=2&line_items[0][price_data][unit_amount]=500&line_items[1][price]=price_1' +
      '&metadata[0]=zero&metadata[checkout_id]=a%20b&expand[]=x&expand[]=y.z&success_url=https%3A%2F%2Fa%2F%7BCHECKOUT_SESSION_ID%7D';
    expect(parseFormBody(body)).toEqual({
      mode: 'payment',
      line_items: { 0: { quantity: '2', price_data: { unit_amount: '500' } }, 1: { price: 'price_1' } },
      metadata: { 0: 'zero', checkout_id: 'a b' },
      expand: { 0: 'x', 1: 'y.z' },
      success_url: 'https://a/{CHECKOUT_SESSION_ID}',
    });
  });

  it('accepts percent-encoded brackets and refuses a key that is both a value and a hash', () => {
    expect(parseFormBody('created%5Bgt%5D=5')).toEqual({ created: { gt: '5' } });
    expect(() => parseFormBody('a=1&a[b]=2')).toThrow(StripeApiError);
    expect(() => parseFormBody('__proto__[x]=1')).toThrow(StripeApiError);
  });
});
