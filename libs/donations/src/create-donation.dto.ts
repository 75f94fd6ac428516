import { EmailField, OptionalField, TextField } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsString, Matches, MaxLength } from 'class-validator';

export class CreateDonationDto {
  @ApiProperty({
    type: 'integer',
    description: 'Amount in minor units (cents), within the configured bounds',
    example: 2500,
  })
  @IsDefined({ message: 'amount is required' })
  @IsInt({ message: 'amount must be an integer number of minor units (cents)' })
  amount: number;

  @ApiProperty({ enum: ['one_off', 'monthly'] })
  @IsDefined({ message: 'frequency is required' })
  @IsIn(['one_off', 'monthly'], { message: 'frequency must be one of: one_off, monthly' })
  frequency: 'one_off' | 'monthly';

  @ApiProperty({ example: 'reader@example.com' })
  @EmailField()
  email: string;

  @ApiPropertyOptional({ example: 'Jenny Rosen' })
  @TextField('name', 200, false)
  name?: string;

  @ApiPropertyOptional({
    description:
      'Campaign slug; the current campaign when omitted. A named campaign must be running: 422 CAMPAIGN_ENDED after its end, CAMPAIGN_NOT_STARTED before its start',
    example: 'fighting-fund',
  })
  @OptionalField()
  @IsString({ message: 'campaign must be a string' })
  @MaxLength(100, { message: 'campaign must be at most 100 characters' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'campaign must be a campaign slug (lower-case letters, digits and dashes)',
  })
  campaign?: string;
}

export class CheckoutCreatedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Where to send the reader to pay (Stripe Checkout)' })
  checkoutUrl: string;
}

export class CheckoutStatusDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['creating', 'open', 'complete', 'expired', 'failed'] })
  status: string;

  @ApiProperty({ enum: ['one_off', 'monthly'] })
  frequency: string;

  @ApiProperty({ type: 'integer', description: 'Minor units' })
  amount: number;

  @ApiProperty()
  currency: string;

  @ApiProperty({ nullable: true, type: String })
  campaign: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  completedAt: string | null;
}
