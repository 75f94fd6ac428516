import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';
import { textProblem } from './fields';

/**
 * Path parameters and query strings that PostgreSQL could not hold (a NUL character, an unpaired
 * surrogate) are refused as 400 naming the parameter, before any handler or query sees them.
 * Bodies are checked field by field by their DTOs.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    // `?email=a&email=b` for a parameter declared as one value: refused, not joined into "a,b".
    if (metadata.data && Array.isArray(value) && [String, Number, Boolean].includes(metadata.metatype as never)) {
      throw new DomainError('VALIDATION_FAILED', `${metadata.data} must be given once`, metadata.data);
    }
    const check = (v: unknown, name: string) => {
      for (const text of Array.isArray(v) ? v : [v]) {
        const problem = typeof text === 'string' ? textProblem(text, false) : null;
        if (problem) {
          throw new DomainError('VALIDATION_FAILED', `${name || 'a parameter with an empty name'} ${problem}`, name);
        }
      }
    };
    if (metadata.data) check(value, metadata.data);
    else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) check(v, key);
    return value;
  }
}
