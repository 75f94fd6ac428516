import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const m of Object.values(e.constraints ?? {})) {
      out.push({ field, message: m.startsWith(e.property) ? m.replace(e.property, field) : `${field}: ${m}` });
    }
    if (e.children?.length) out.push(...firstProblem(e.children, field));
  }
  return out;
}

/**
 * Global validation: unknown fields rejected, no implicit type conversion ("500" is not a number),
 * and a 400 whose `field` names the first offending field and whose `details` lists them all.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = firstProblem(errors);
      const first = problems[0] ?? { field: undefined, message: 'Invalid request body' };
      return new BadRequestException({
        message: problems.map((p) => p.message).join('; ') || 'Invalid request body',
        code: 'VALIDATION_FAILED',
        field: first.field,
        details: problems,
      });
    },
  });
}
