import type { StripeApiError } from '../core/errors';
import { parseFormBody } from './form-body';
import { Params } from './params';

describe('Params', () => {
  const params = (body: string) => Params.of(parseFormBody(body));
  const errorOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as StripeApiError;
    }
    throw new Error('expected an error');
  };

  it('coerces integers and names the bracketed parameter when one is wrong', () => {
    const p = params('items[0][amount]=12&items[1][amount]=1.5');
    const [first, second] = p.requireList('items');
    expect(first.requireInteger('amount')).toBe(12);
    expect(errorOf(() => second.requireInteger('amount'))).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'items[1][amount]',
      status: 400,
    });
  });

  it('reports missing, empty and unknown parameters', () => {
    expect(errorOf(() => params('').requireString('mode'))).toMatchObject({ code: 'parameter_missing', param: 'mode' });
    expect(errorOf(() => params('mode=').requireString('mode'))).toMatchObject({
      code: 'parameter_invalid_empty',
      param: 'mode',
    });
    const p = params('mode=payment&payment_intent_data[metadata][a]=1&payment_intent_data[colour]=red');
    p.requireString('mode');
    p.object('payment_intent_data')!.stringMap('metadata');
    expect(errorOf(() => p.end())).toMatchObject({ code: 'parameter_unknown', param: 'payment_intent_data[colour]' });
  });

  it('reads lists of strings in every spelling, and created ranges', () => {
    expect(params('expand=a').stringList('expand')).toEqual(['a']);
    expect(params('expand[]=a&expand[]=b').stringList('expand')).toEqual(['a', 'b']);
    expect(params('expand[1]=b&expand[0]=a').stringList('expand')).toEqual(['a', 'b']);
    expect(params('created[gt]=10&created[lte]=20').range('created')).toEqual({
      gt: 10,
      gte: undefined,
      lt: undefined,
      lte: 20,
    });
    expect(params('created=15').range('created')).toEqual({ gte: 15, lte: 15 });
  });

  it('reads JSON bodies (the test controls) with the same rules', () => {
    const p = Params.of({ amount: 1500, reason: 'fraudulent', enabled: false });
    expect(p.integer('amount', { min: 1 })).toBe(1500);
    expect(p.oneOf('reason', ['fraudulent', 'duplicate'] as const)).toBe('fraudulent');
    expect(p.boolean('enabled')).toBe(false);
    expect(() => p.end()).not.toThrow();
  });
});
