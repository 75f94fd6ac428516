import { type DataSource } from 'typeorm';
import { type AppConfig } from '@app/config';
import { type Actor, AuditService } from '../audit.service';
import { RefreshTokensRepository } from '../refresh-tokens.repository';
import { StaffMember } from '../staff.entity';
import { StaffService } from '../staff.service';

/** Who the staff commands act as in the audit log. */
export const CLI_ACTOR: Actor = { staffId: null, label: 'cli' };

/** The entities the staff commands' own DataSource needs (StaffService reads `staff` through TypeORM). */
export const STAFF_CLI_ENTITIES = [StaffMember];

/**
 * The staff service the commands (`staff:create`, `staff:reset-password`) write through, on their
 * own DataSource (opened with STAFF_CLI_ENTITIES), without the Nest app.
 */
export function staffServiceFor(ds: DataSource, config: AppConfig): StaffService {
  return new StaffService(ds.getRepository(StaffMember), new AuditService(ds), config, new RefreshTokensRepository(ds));
}
