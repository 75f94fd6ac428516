import { ApiProperty } from '@nestjs/swagger';
import { AddressDto } from './subscription.dto';

/** POST /api/self-service/links: the same answer whether or not the address is known. */
export class LinkRequestedDto {
  @ApiProperty({ example: 'If we hold this email address, a link to manage your support is on its way.' })
  message: string;
}

/** PUT /api/self-service/subscriptions/:id/delivery-address: the subscription with its new address. */
export class DeliveryAddressChangedDto {
  @ApiProperty({ description: 'the subscription' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'print' }) tier: string | null;
  @ApiProperty({ type: AddressDto }) deliveryAddress: AddressDto;
}
