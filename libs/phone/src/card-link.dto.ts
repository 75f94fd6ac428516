import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

/** What the operator sees of a card payment taken by phone: `open` (the link can be paid), `complete` (paid), `expired`. */
export const CARD_LINK_STATUSES = ['open', 'complete', 'expired'] as const;
export type CardLinkStatus = (typeof CARD_LINK_STATUSES)[number];

/** A phone donation: a card payment link sent to the caller, or a cash, cheque or transfer entry recorded at once. */
export class PhoneDonationStatusDto {
  @ApiProperty({ description: 'the checkout (card: a UUID) or the ledger entry (cash, cheque, transfer: a number)' })
  id: string;

  @ApiProperty({ enum: ['donation', 'subscription'] })
  purpose: 'donation' | 'subscription';

  @ApiProperty({ enum: ['card', 'cash', 'cheque', 'bank_transfer'] })
  method: string;

  @ApiProperty({
    enum: [...CARD_LINK_STATUSES, 'recorded', 'voided'],
    description:
      'card: `open` (the caller has not paid yet; the link can be sent again), `complete` (paid), `expired` (the link can no longer be paid: take it again for a new link). Cash, cheque, transfer: `recorded`, or `voided` once reversed',
  })
  status: CardLinkStatus | 'recorded' | 'voided';

  @ApiProperty({ enum: ['one_off', 'monthly', 'prepaid'] })
  frequency: string;

  @ApiProperty({ type: 'integer', example: 2500, description: 'minor units' })
  amount: number;

  @ApiProperty({ example: 'AUD' })
  currency: string;

  @ApiPropertyOptional({ description: 'card, while `open`: the link emailed to the caller', nullable: true })
  checkoutUrl: string | null;

  @ApiPropertyOptional({ description: 'card: the address the link was emailed to', nullable: true })
  email: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'known once paid (card), or at once' })
  supporterId: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'subscriptions: the tier' })
  tier: string | null;

  @ApiProperty({
    type: 'integer',
    description: 'card: how many times the link was emailed (the first and each resend)',
  })
  linkSends: number;

  @ApiPropertyOptional({ nullable: true, description: 'card: when the link was last emailed' })
  lastSentAt: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'the operator who took it' })
  staffId: string | null;

  @ApiProperty()
  createdAt: string;

  @ApiPropertyOptional({ nullable: true })
  completedAt: string | null;
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export class ListCardLinksQuery {
  @ApiPropertyOptional({ enum: CARD_LINK_STATUSES, description: 'only links with this status' })
  @IsOptional()
  @IsIn(CARD_LINK_STATUSES, { message: `status must be one of ${CARD_LINK_STATUSES.join(', ')}` })
  status?: CardLinkStatus;

  @ApiPropertyOptional({
    type: 'integer',
    example: 50,
    description: 'how many, newest first (default 50, at most 200)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'only the links the signed-in operator sent first ("true")' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mine must be "true" or "false"' })
  mine?: 'true' | 'false';
}
