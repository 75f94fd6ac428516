import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { createBillingPortalSession } from '../flows/billing-portal';
import type { ApiGateway } from '../http/api-gateway';

/** Customer portal sessions; the portal page itself is in billing-portal/. */
export function registerBillingPortalRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router.post('/v1/billing_portal/sessions', ({ params, origin }) => {
    const input = {
      customer: params.requireString('customer'),
      returnUrl: params.string('return_url'),
      configuration: params.string('configuration'),
      locale: params.string('locale') as Stripe.BillingPortal.Session.Locale | undefined,
    };
    params.end();
    return createBillingPortalSession(ctx, input, origin);
  });
}
