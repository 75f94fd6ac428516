import { randomBytes } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from './access-token';

describe('access tokens', () => {
  const secret = randomBytes(32);
  const claims = { sub: 'staff-1', role: 'admin' as const, iat: 1000, exp: 2000 };

  it('verifies its own tokens until they expire', () => {
    const token = signAccessToken(claims, secret);
    expect(verifyAccessToken(token, secret, 1500)).toEqual(claims);
    expect(verifyAccessToken(token, secret, 2000)).toBeNull();
  });

  it('refuses tampered tokens and other secrets', () => {
    const token = signAccessToken(claims, secret);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: 'x' })).toString('base64url')}.${s}`;
    expect(verifyAccessToken(forged, secret, 1500)).toBeNull();
    expect(verifyAccessToken(token, randomBytes(32), 1500)).toBeNull();
    expect(verifyAccessToken('nonsense', secret, 1500)).toBeNull();
  });
});
