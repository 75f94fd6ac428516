import type { SimulatorContext } from '../core/context';
import type { ApiGateway } from '../http/api-gateway';
import { registerCatalogRoutes } from './catalog.routes';
import { registerCheckoutSessionRoutes } from './checkout-sessions.routes';
import { registerCustomerRoutes } from './customers.routes';
import { registerDisputeRoutes } from './disputes.routes';
import { registerEventRoutes } from './events.routes';
import { registerPaymentRoutes } from './payments.routes';
import { registerRefundRoutes } from './refunds.routes';

/** Every `/v1` endpoint the simulator speaks. */
export function registerApiRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  registerCheckoutSessionRoutes(api, ctx);
  registerPaymentRoutes(api, ctx);
  registerCustomerRoutes(api, ctx);
  registerCatalogRoutes(api, ctx);
  registerRefundRoutes(api, ctx);
  registerDisputeRoutes(api, ctx);
  registerEventRoutes(api, ctx);
}
