import { type StaffService } from '../staff.service';
import { CLI_ACTOR } from './staff-cli';

export interface ResetResult {
  id: string;
  email: string;
  disabled: boolean;
}

/**
 * What `npm run staff:reset-password` does, through StaffService in one transaction: the account
 * gets `password` as a temporary password (to change at the next sign-in), every token it holds
 * is refused from now on, and the reset is audited as `staff.password_reset` by `cli`.
 */
export function resetStaffPassword(staff: StaffService, email: string, password: string): Promise<ResetResult> {
  return staff.resetPasswordByEmail(email, password, CLI_ACTOR);
}
