import { readRefreshCookie, refreshCookie } from './staff-session.service';

describe('the refresh cookie', () => {
  const token = 'abcdefghijklmnopqrstuvwxyz0123456789_-ABCDE';

  it('is HttpOnly, SameSite=Strict, for /api/auth only; Secure when asked; cleared with Max-Age=0', () => {
    expect(refreshCookie(token, 3600.7, false)).toBe(
      `staff_refresh=${token}; Path=/api/auth; Max-Age=3600; HttpOnly; SameSite=Strict`,
    );
    expect(refreshCookie(token, 10, true)).toMatch(/; Secure$/);
    expect(refreshCookie(null, 3600, false)).toBe(
      'staff_refresh=; Path=/api/auth; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });

  it('is read from a Cookie header among others; anything that is not a token is no token', () => {
    expect(readRefreshCookie(`a=1; staff_refresh=${token}; b=2`)).toBe(token);
    expect(readRefreshCookie([`a=1`, `staff_refresh=${token}`])).toBe(token);
    expect(readRefreshCookie(undefined)).toBeUndefined();
    expect(readRefreshCookie('other=1')).toBeUndefined();
    expect(readRefreshCookie('staff_refresh=')).toBeUndefined();
    expect(readRefreshCookie('staff_refresh=short')).toBeUndefined();
    expect(readRefreshCookie(`staff_refresh=${token}%00`)).toBeUndefined();
    expect(readRefreshCookie(`xstaff_refresh=${token}`)).toBeUndefined();
  });
});
