import { type ArgumentMetadata, BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';

interface Problem {
  field: string;
  message: string;
}

/**
 * Which failed constraint of a field to report: that it is missing or unknown first, then that it
 * has the wrong type, and only then its length, range or format. (class-validator runs a field's
 * constraints in decorator order, bottom first, so "must be at most 500" could otherwise be the
 * answer for a value that is not a number at all.)
 */
const RANK: Record<string, number> = {
  isDefined: 0,
  whitelistValidation: 0,
  unknownValue: 0,
  isString: 1,
  isInt: 1,
  isNumber: 1,
  isBoolean: 1,
  isObject: 1,
  isArray: 1,
  isDate: 1,
  nestedValidation: 1,
  storableText: 2,
};

/** A field name as written in a message: quoted when it is blank or not a plain identifier. */
const shown = (field: string) => (/^[A-Za-z_$][\w$.]*$/.test(field) ? field : JSON.stringify(field));

function problems(errors: ValidationError[], prefix = ''): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    if (constraints.length) {
      const [kind, message] = constraints.reduce((best, c) => ((RANK[c[0]] ?? 3) < (RANK[best[0]] ?? 3) ? c : best));
      if (kind === 'whitelistValidation') out.push({ field, message: `property ${shown(field)} should not exist` });
      else {
        out.push({
          field,
          message: message.startsWith(e.property) ? message.replace(e.property, field) : `${shown(field)}: ${message}`,
        });
      }
      // A field of the wrong type has no inner fields worth reporting.
      if ((RANK[kind] ?? 3) <= 1) continue;
    }
    if (e.children?.length) out.push(...problems(e.children, field));
  }
  return out;
}

function validationFailed(list: Problem[]): BadRequestException {
  const first = list[0] ?? { field: undefined, message: 'Invalid request body' };
  return new BadRequestException({
    message: list.map((p) => p.message).join('; ') || 'Invalid request body',
    code: 'VALIDATION_FAILED',
    field: first.field,
    details: list,
  });
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : value === undefined ? 'nothing' : `a ${typeof value}`;

/** The pipe, refusing a body that is not a JSON object before looking at its fields. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      this.toValidate(metadata) &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw validationFailed([
        { field: 'body', message: `the request body must be a JSON object, not ${kindOf(value)}` },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Global validation: unknown fields rejected, no implicit type conversion ("500" is not a number),
 * a body must be a JSON object, and a 400 whose `field` names the first offending field and whose
 * `details` lists every offending field (one problem each).
 */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(problems(errors)),
  });
}
