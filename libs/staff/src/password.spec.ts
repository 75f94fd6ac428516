import { hashPassword, passwordProblem, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses others; salts differ', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$1$')).toBe(true);
    await expect(verifyPassword('correct horse battery', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterx', a)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'md5$abc')).resolves.toBe(false);
  });

  it('asks for at least 12 characters', () => {
    expect(passwordProblem('short')).toMatch(/12/);
    expect(passwordProblem('long enough password')).toBeNull();
    expect(passwordProblem(42)).toMatch(/string/);
  });
});
