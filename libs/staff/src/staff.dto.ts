import { EmailField, OptionalField, TextField } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsString, MaxLength } from 'class-validator';
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

export class AccessTokenDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ description: 'Seconds until it expires', example: 900 })
  expiresIn: number;
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
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreatedStaffDto extends StaffDto {
  @ApiProperty({ description: 'A temporary password, shown once: give it to the person, who signs in with it' })
  temporaryPassword: string;
}
