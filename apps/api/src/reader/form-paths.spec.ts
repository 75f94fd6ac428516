import { takesForm } from './form-paths';

describe('takesForm', () => {
  it.each([
    ['POST', '/give', true],
    ['POST', '/give/fighting-fund', true],
    ['POST', '/give?x=1', true],
    ['POST', '/subscribe', true],
    ['POST', '/account/address', true],
    ['POST', '/self-service/new-link', true],
    ['GET', '/give', false],
    ['POST', '/api/donations', false],
    ['POST', '/api/subscriptions', false],
    ['POST', '/give/../api/donations', false],
    ['POST', '/giveaway', false],
  ])('%s %s → %s', (method, url, expected) => {
    expect(takesForm(method, url)).toBe(expected);
  });
});
