import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

/** The URL of the simulator's customer portal page for a session. */
export const billingPortalUrl = (ctx: SimulatorContext, sessionId: string): string =>
  `${ctx.config.publicUrl}/billing-portal/${sessionId}`;

export interface BillingPortalSessionInput {
  customer: string;
  returnUrl: string | null;
  configuration: string;
  locale: Stripe.BillingPortal.Session.Locale | null;
}

export function buildBillingPortalSession(
  ctx: SimulatorContext,
  input: BillingPortalSessionInput,
): Stripe.BillingPortal.Session {
  const session = fixture<Stripe.BillingPortal.Session>('billing_portal.session');
  const id = newId('bps');
  Object.assign(session, {
    id,
    configuration: input.configuration,
    created: ctx.clock.now(),
    customer: input.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: input.locale,
    on_behalf_of: null,
    return_url: input.returnUrl,
    url: billingPortalUrl(ctx, id),
  } satisfies Partial<Stripe.BillingPortal.Session>);
  return session;
}
