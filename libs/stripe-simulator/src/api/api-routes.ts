import type { SimulatorContext } from '../core/context';
import type { ApiGateway } from '../http/api-gateway';
import { registerBillingPortalRoutes } from './billing-portal.routes';
import { registerCatalogRoutes } from './catalog.routes';
import { registerCheckoutSessionRoutes } from './checkout-sessions.routes';
import { registerCustomerRoutes } from './customers.routes';
import { registerDisputeRoutes } from './disputes.routes';
import { registerEventRoutes } from './events.routes';
import { registerInvoiceRoutes } from './invoices.routes';
import { registerPaymentRoutes } from './payments.routes';
import { registerPayoutRoutes } from './payouts.routes';
import { registerRefundRoutes } from './refunds.routes';
import { registerSubscriptionRoutes } from './subscriptions.routes';

/** Every `/v1` endpoint the simulator speaks. */
export function registerApiRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  registerCheckoutSessionRoutes(api, ctx);
  registerPaymentRoutes(api, ctx);
  registerCustomerRoutes(api, ctx);
  registerCatalogRoutes(api, ctx);
  registerSubscriptionRoutes(api, ctx);
  registerInvoiceRoutes(api, ctx);
  registerBillingPortalRoutes(api, ctx);
  registerRefundRoutes(api, ctx);
  registerDisputeRoutes(api, ctx);
  registerPayoutRoutes(api, ctx);
  registerEventRoutes(api, ctx);
}
