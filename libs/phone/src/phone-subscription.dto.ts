import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { EmailField, OptionalField, TextField } from '@app/common';
import { IsUUID } from 'class-validator';
import { CreateSubscriptionDto } from '@app/subscriptions';
import { PhoneNumberField } from './phone-donation.dto';

/**
 * A subscription taken on the phone: the body of `POST /api/subscriptions`, where `supporterId`
 * (an existing supporter) may stand in for `email` and `name`; given beside it, they update that
 * record (audited). `phone` is the caller's number, kept on their record.
 */
export class CreatePhoneSubscriptionDto extends OmitType(CreateSubscriptionDto, ['email', 'name'] as const) {
  @ApiPropertyOptional({ description: 'an existing supporter, in place of email and name' })
  @OptionalField()
  @IsUUID('all', { message: 'supporterId must be a supporter id (a UUID)' })
  supporterId?: string;

  @ApiPropertyOptional({ example: 'reader@example.com', description: 'required unless supporterId is given' })
  @EmailField('email', false)
  email?: string;

  @ApiPropertyOptional({ example: 'Jenny Rosen', description: 'required unless supporterId is given' })
  @OptionalField()
  @TextField('name', 200)
  name?: string;

  @ApiPropertyOptional({
    example: '+61 2 5550 1234',
    description:
      "the caller's phone number, kept on their record (stored as typed and in E.164, region AU): a new caller's record is written when the link is sent; with supporterId, added to that record",
  })
  @OptionalField()
  @PhoneNumberField('phone')
  phone?: string;
}
