import { ApiProperty } from '@nestjs/swagger';

export class CampaignProgressDto {
  @ApiProperty({ example: 'fighting-fund' })
  slug: string;

  @ApiProperty({ example: 'Fighting fund' })
  title: string;

  @ApiProperty({ example: 'AUD' })
  currency: string;

  @ApiProperty({ description: 'Target in minor units', example: 25000000 })
  target: number;

  @ApiProperty({ description: 'Gross given toward the campaign, minus refunds and lost disputes, in minor units', example: 1234500 })
  raised: number;

  @ApiProperty({ description: 'raised / target × 100, rounded down to two decimals (may exceed 100)', example: 4.93 })
  percent: number;

  @ApiProperty({ description: 'Distinct supporters who gave toward the campaign', example: 321 })
  supporters: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  endsAt: string | null;
}
