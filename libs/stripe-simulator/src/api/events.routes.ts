import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import type { ApiGateway } from '../http/api-gateway';
import { listObjects } from './list-objects';

const MAX_TYPES = 20;

export function registerEventRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .get('/v1/events/:id', ({ pathParams }) => ctx.store.require('event', pathParams.id))
    .get('/v1/events', ({ params }) => {
      const type = params.string('type');
      const types = params.stringList('types');
      const deliverySuccess = params.boolean('delivery_success');
      if (type && types) {
        throw invalidRequest('You may only specify one of these parameters: type, types.', {
          code: 'parameters_exclusive',
          param: 'types',
        });
      }
      if (types && types.length > MAX_TYPES) {
        throw invalidRequest(`You may pass at most ${MAX_TYPES} types.`, { param: 'types' });
      }
      const wanted = type ? [type] : types;
      return listObjects(ctx, 'event', params, '/v1/events', (event) => {
        if (wanted && !wanted.some((pattern) => typeMatches(pattern, event.type))) return false;
        if (deliverySuccess === undefined) return true;
        return (ctx.webhooks.delivery(event.id)?.delivered ?? false) === deliverySuccess;
      });
    });
}

/** `charge.succeeded`, or a group with a wildcard: `charge.*`, `charge.dispute.*`. */
function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(type);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
