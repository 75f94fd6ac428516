import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  type ApiPropertyOptions,
  getSchemaPath,
} from '@nestjs/swagger';
import { type ErrorBody } from './http-exception.filter';

/** One field a request got wrong (validation lists each in `details`). */
export class FieldErrorDto {
  @ApiProperty({ example: 'amount' }) field: string;
  @ApiProperty({ example: 'amount must be an integer number of minor units (cents)' }) message: string;
}

/**
 * Every error answer (`AllExceptionsFilter`): one shape for validation failures, domain errors,
 * missing access and Fastify's own refusals. The OpenAPI document gives it to every 4xx/5xx.
 */
@ApiExtraModels(FieldErrorDto)
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 400, description: 'the HTTP status, again' })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request', description: "the status's reason phrase" })
  error: string;

  @ApiProperty({ example: 'amount must be an integer number of minor units (cents)' })
  message: string;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description: 'stable machine-readable code (`ErrorCodes` in libs/common/src/domain-error.ts)',
  })
  code: string;

  @ApiPropertyOptional({ example: 'amount', description: 'the request field at fault, when there is one' })
  field?: string;

  @ApiPropertyOptional({
    description:
      'more about a 4xx: VALIDATION_FAILED lists every offending field; some domain errors give an object (e.g. the record to merge with)',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'for 5xx: the id under which the failure was logged' })
  errorId?: string;
}

/** A money amount: an exact integer of minor units (cents), in the currency named beside it. */
export const ApiMoney = (options: ApiPropertyOptions = {}) =>
  ApiProperty({
    example: 2500,
    ...options,
    type: 'integer',
    description: options.description ?? 'minor units',
  } as ApiPropertyOptions);

/** A 200 answer of CSV text (a download; `content-disposition: attachment`). */
export const ApiCsvResponse = (description: string) =>
  applyDecorators(
    ApiOkResponse({
      description,
      content: { 'text/csv': { schema: { type: 'string' } } },
    }),
  );
