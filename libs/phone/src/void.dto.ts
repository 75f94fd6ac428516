import { ApiProperty } from '@nestjs/swagger';

/** The answer to a void or a reversal: the negative entry written beside the original. */
export class ReversalResult {
  @ApiProperty({ example: '1077', description: 'the reversal entry' })
  id: string;

  @ApiProperty({ example: '1042', description: 'the entry it reverses' })
  reverses: string;

  @ApiProperty({ type: 'integer', example: -5000, description: 'minor units (negative)' })
  gross: number;

  @ApiProperty({ example: 'AUD' })
  currency: string;

  @ApiProperty({ description: 'a receipt had been emailed for the entry: a correction email follows it' })
  correctionEmailed: boolean;
}
