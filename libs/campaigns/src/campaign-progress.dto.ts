import { ApiProperty } from '@nestjs/swagger';

export class CampaignProgressDto {
  @ApiProperty({ example: 'fighting-fund' })
  slug: string;

  @ApiProperty({ example: 'Fighting fund' })
  title: string;

  @ApiProperty({ example: 'AUD' })
  currency: string;

  @ApiProperty({ type: 'integer', description: 'Target in minor units', example: 25000000 })
  target: number;

  @ApiProperty({
    type: 'integer',
    description: 'Gross given toward the campaign, minus refunds and lost disputes, in minor units',
    example: 1234500,
  })
  raised: number;

  @ApiProperty({ description: 'raised / target × 100, rounded down to two decimals (may exceed 100)', example: 4.93 })
  percent: number;

  @ApiProperty({ type: 'integer', description: 'Distinct supporters who gave toward the campaign', example: 321 })
  supporters: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  endsAt: string | null;

  @ApiProperty({
    description: 'raised and target as the embeddable bar words them (en-AU, whole amounts without cents)',
    example: '$12,345 raised of $250,000',
  })
  sentence: string;
}
