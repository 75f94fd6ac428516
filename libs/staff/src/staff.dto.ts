import { EmailField, OptionalField, TextField } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { STAFF_ROLES, StaffRole } from './staff.entity';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @EmailField()
  email: string;

  @ApiProperty()
  @IsDefined({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password: string;
}

/** Who signed in: the console shows their name and the menu of their role. */
export class SignedInStaffDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: STAFF_ROLES }) role: StaffRole;
}

export class AccessTokenDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until it expires', example: 900 })
  expiresIn: number;

  @ApiProperty({
    description:
      'true: the password was temporary; this token is accepted only by POST /api/auth/password (elsewhere 403 PASSWORD_CHANGE_REQUIRED)',
  })
  passwordChangeRequired: boolean;

  @ApiProperty({ type: SignedInStaffDto })
  staff: SignedInStaffDto;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password you signed in with (the temporary one, the first time)' })
  @IsDefined({ message: 'currentPassword is required' })
  @IsString({ message: 'currentPassword must be a string' })
  @MaxLength(200, { message: 'currentPassword must be at most 200 characters' })
  currentPassword: string;

  @ApiProperty({ description: '12 to 200 characters, not the current one' })
  @IsDefined({ message: 'newPassword is required' })
  @IsString({ message: 'newPassword must be a string' })
  @MinLength(12, { message: 'newPassword must be at least 12 characters' })
  @MaxLength(200, { message: 'newPassword must be at most 200 characters' })
  newPassword: string;
}

export class CreateStaffDto {
  @ApiProperty({ example: 'phone1@example.org' })
  @EmailField()
  email: string;

  @ApiProperty({ example: 'Pat Phone' })
  @TextField('name', 200)
  name: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsDefined({ message: 'role is required' })
  @IsIn(STAFF_ROLES, { message: `role must be one of: ${STAFF_ROLES.join(', ')}` })
  role: StaffRole;
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @OptionalField()
  @IsIn(STAFF_ROLES, { message: `role must be one of: ${STAFF_ROLES.join(', ')}` })
  role?: StaffRole;

  @ApiPropertyOptional({ description: 'true disables sign-in and revokes current tokens' })
  @OptionalField()
  @IsBoolean({ message: 'disabled must be a boolean' })
  disabled?: boolean;
}

export class StaffDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: STAFF_ROLES }) role: StaffRole;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ description: 'Still on a temporary password (invitation or reset)' }) passwordChangeRequired: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreatedStaffDto extends StaffDto {
  @ApiProperty({
    description:
      'A temporary password, shown once: give it to the person, who signs in with it and must then choose their own',
  })
  temporaryPassword: string;
}

/** One audit log row: who did what to which record, with the record before and after. */
export class AuditLogEntryDto {
  @ApiProperty({ example: '1042' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for system and CLI actions' })
  staffId: string | null;
  @ApiProperty({ example: 'admin@example.org', description: "the staff member's email, or system / cli" })
  actor: string;
  @ApiProperty({ example: 'tier.price_change' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: 'tier' }) entityType: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'digital' }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
