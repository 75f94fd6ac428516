import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { newId } from '../core/ids';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildBillingPortalSession } from '../objects/billing-portal-session';
import { applyChange } from './changes';
import { requireLiveCustomer } from './customers';
import { attemptInvoicePayment } from './invoices';
import { attachNewCard } from './payment-methods';
import { changeSubscription, subscriptionOfInvoice } from './subscription-state';
import { updateSubscription } from './subscriptions';

/** Store attachment holding the account's (one) default portal configuration id. */
const ACCOUNT = 'account';
const PORTAL_CONFIGURATION = 'billing_portal_configuration';

export interface PortalSessionInput {
  customer: string;
  returnUrl?: string;
  configuration?: string;
  locale?: Stripe.BillingPortal.Session.Locale;
}

/** `POST /v1/billing_portal/sessions` (`billing_portal.session.created`). */
export function createBillingPortalSession(
  ctx: SimulatorContext,
  input: PortalSessionInput,
  request: RequestOrigin = NO_REQUEST,
): Stripe.BillingPortal.Session {
  requireLiveCustomer(ctx, input.customer, 'customer');
  let configuration = ctx.store.attached<string>(ACCOUNT, PORTAL_CONFIGURATION);
  if (!configuration) {
    configuration = newId('bpc');
    ctx.store.attach(ACCOUNT, PORTAL_CONFIGURATION, configuration);
  }
  if (input.configuration && input.configuration !== configuration) {
    throw invalidRequest(`No such configuration: '${input.configuration}'`, {
      code: 'resource_missing',
      param: 'configuration',
    });
  }
  const session = ctx.store.insert(
    'billing_portal.session',
    buildBillingPortalSession(ctx, {
      customer: input.customer,
      returnUrl: input.returnUrl ?? null,
      configuration,
      locale: input.locale ?? null,
    }),
  );
  ctx.events.emit('billing_portal.session.created', session, { request });
  return session;
}

/** The portal's subscriptions: the customer's, newest first, ended ones last. */
export function portalSubscriptions(
  ctx: SimulatorContext,
  session: Stripe.BillingPortal.Session,
): Stripe.Subscription[] {
  const subs = ctx.store.newestFirst('subscription', (s) => s.customer === session.customer);
  return [...subs.filter((s) => s.status !== 'canceled'), ...subs.filter((s) => s.status === 'canceled')];
}

/** **Cancel** in the portal: cancel at the end of the period (`customer.subscription.updated`). */
export function portalCancelSubscription(
  ctx: SimulatorContext,
  session: Stripe.BillingPortal.Session,
  subscriptionId: string,
  cancel: boolean,
): Stripe.Subscription {
  const sub = ownSubscription(ctx, session, subscriptionId);
  if (sub.status === 'canceled') throw invalidRequest('This subscription has already been canceled.');
  return updateSubscription(ctx, sub.id, { cancelAtPeriodEnd: cancel });
}

/**
 * **Update card** in the portal: a new working card is attached (`payment_method.attached`), made
 * the customer's default (`customer.updated`) and the default of their live subscriptions
 * (`customer.subscription.updated`), then their open invoices are charged with it
 * (`invoice.paid`, ...; a past_due subscription becomes active).
 */
export function portalUpdateCard(ctx: SimulatorContext, session: Stripe.BillingPortal.Session): Stripe.PaymentMethod {
  const customer = ctx.store.require('customer', session.customer);
  const card = attachNewCard(ctx, customer, { email: customer.email ?? null, name: customer.name ?? null });
  applyChange(ctx, customer, 'customer.updated', (c) => {
    c.invoice_settings = { ...c.invoice_settings, default_payment_method: card.id };
  });
  const live = portalSubscriptions(ctx, session).filter((s) => s.status !== 'canceled');
  for (const sub of live) changeSubscription(ctx, sub, (s) => void (s.default_payment_method = card.id));
  const open = ctx.store
    .all('invoice')
    .filter(
      (inv) =>
        inv.customer === customer.id &&
        inv.status === 'open' &&
        live.some((s) => s.id === subscriptionOfInvoice(ctx, inv)?.id),
    );
  for (const invoice of open) attemptInvoicePayment(ctx, invoice, { paymentMethod: card.id, automatic: false });
  return card;
}

function ownSubscription(
  ctx: SimulatorContext,
  session: Stripe.BillingPortal.Session,
  subscriptionId: string,
): Stripe.Subscription {
  const sub = ctx.store.require('subscription', subscriptionId);
  if (sub.customer !== session.customer) {
    throw invalidRequest(`Subscription ${sub.id} does not belong to this customer.`);
  }
  return sub;
}
