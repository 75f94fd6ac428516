import { type AppConfig } from '@app/config';
import { type Repository } from 'typeorm';
import { type AuditService } from './audit.service';
import { type RefreshTokensRepository } from './refresh-tokens.repository';
import { type StaffMember } from './staff.entity';
import { StaffService } from './staff.service';

describe('StaffService sign-in throttle', () => {
  // No account exists: every attempt is a failed sign-in, as a guesser's would be.
  const staff = {
    createQueryBuilder: () => ({ addSelect: () => staff.qb, where: () => staff.qb, getOne: async () => null }),
    qb: undefined as unknown,
  };
  staff.qb = staff.createQueryBuilder();
  const audit = { record: jest.fn(async () => undefined) };
  const config = { LOGIN_MAX_FAILURES: 3, LOGIN_LOCK_MINUTES: 15, AUTH_TOKEN_SECRET: 'x'.repeat(32) };
  const make = () =>
    new StaffService(
      staff as unknown as Repository<StaffMember>,
      audit as unknown as AuditService,
      config as unknown as AppConfig,
      {} as RefreshTokensRepository,
    );
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (e: { code?: string }) => e.code,
    );

  it('counts an IPv6 address by its /64, as the rate limiter does: new addresses in one /64 are one address', async () => {
    const s = make();
    const n = 4 * config.LOGIN_MAX_FAILURES; // the per-address limit, spread over as many accounts
    for (let i = 1; i <= n; i++) {
      expect(await code(s.login(`user${i}@x.org`, 'wrong password', `2001:db8::${i.toString(16)}`, null))).toBe(
        'UNAUTHORIZED',
      );
    }
    expect(await code(s.login('someone.else@x.org', 'wrong password', '2001:db8::ffff', null))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    // another network is not held up by it
    expect(await code(s.login('someone.else@x.org', 'wrong password', '2001:db8:0:1::1', null))).toBe('UNAUTHORIZED');
    // the audit log keeps the address the attempt came from, not its /64
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ ip: '2001:db8::c', label: 'user12@x.org' }),
      expect.objectContaining({ action: 'auth.login_failed' }),
    );
  });

  it('an IPv4-mapped address and its IPv4 form are one address', async () => {
    const s = make();
    for (let i = 0; i < 4 * config.LOGIN_MAX_FAILURES; i++) {
      await code(s.login(`user${i}@x.org`, 'wrong password', i % 2 ? '::ffff:203.0.113.9' : '203.0.113.9', null));
    }
    expect(await code(s.login('someone.else@x.org', 'wrong password', '203.0.113.9', null))).toBe('TOO_MANY_ATTEMPTS');
  });
});
