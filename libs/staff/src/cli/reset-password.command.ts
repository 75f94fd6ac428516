import { type EntityManager } from 'typeorm';
import { hashPassword, passwordProblem } from '../password';

export interface ResetResult {
  id: string;
  email: string;
  disabled: boolean;
}

/**
 * What `npm run staff:reset-password` does, in one transaction: the account gets `password` as a
 * temporary password (to change at the next sign-in), every token it holds is refused from now
 * on, and the reset is audited as `staff.password_reset` by `cli`.
 */
export async function resetStaffPassword(
  manager: EntityManager,
  email: string,
  password: string,
): Promise<ResetResult> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const passwordHash = await hashPassword(password);
  return manager.transaction(async (m) => {
    const [rows] = (await m.query(
      `UPDATE staff SET password_hash = $2, password_must_change = true, token_version = token_version + 1, password_changed_at = now(), updated_at = now()
        WHERE lower(email) = lower($1) RETURNING id, email, disabled_at`,
      [email, passwordHash],
    )) as [Array<{ id: string; email: string; disabled_at: Date | null }>, number];
    const member = rows[0];
    if (!member) throw new Error(`no staff account for ${email}`);
    await m.query(
      `INSERT INTO audit_log (staff_id, actor, action, entity_type, entity_id, after) VALUES (NULL, 'cli', 'staff.password_reset', 'staff', $1, $2)`,
      [member.id, JSON.stringify({ email: member.email, passwordChangeRequired: true })],
    );
    return { id: member.id, email: member.email, disabled: member.disabled_at !== null };
  });
}
