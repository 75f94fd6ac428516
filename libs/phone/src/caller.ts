import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import type { Actor } from '@app/staff';
import type { SupporterRecordsService } from '@app/supporters';
import type { PhoneSupporterDto } from './phone-donation.dto';

/** Who the caller is: an existing supporter's id, and/or their details. */
export interface CallerChoice {
  supporterId?: string;
  supporter?: Partial<PhoneSupporterDto>;
}

/** Refuses a request that names nobody: no `supporterId` and no `supporter.name` (400, naming the field). */
export function assertCallerNamed(choice: CallerChoice): void {
  if (choice.supporterId !== undefined) return;
  if (!choice.supporter) {
    throw new DomainError('VALIDATION_FAILED', 'supporter is required (or supporterId)', 'supporter');
  }
  if (!choice.supporter.name) {
    throw new DomainError('VALIDATION_FAILED', 'supporter.name is required (or supporterId)', 'supporter.name');
  }
}

/**
 * The caller's record, in the caller's transaction: the supporter named by `supporterId` (the
 * survivor if it was merged), whose record the details given beside it update (audited as
 * `supporter.update`: the email replaced, the phone added, the name and address replaced); or,
 * without an id, the record with the given email, or a new one. Answers its id.
 */
export function callerRecord(
  records: SupporterRecordsService,
  m: EntityManager,
  choice: CallerChoice,
  actor: Actor,
): Promise<string> {
  const s = choice.supporter ?? {};
  if (choice.supporterId !== undefined) {
    return records.change(
      m,
      choice.supporterId,
      { name: s.name, email: s.email, addPhone: s.phone, address: s.address ? { ...s.address } : undefined },
      actor,
      'supporter.update',
    );
  }
  return records.findOrCreateForPhone(m, { name: s.name!, email: s.email, phone: s.phone, address: s.address });
}
