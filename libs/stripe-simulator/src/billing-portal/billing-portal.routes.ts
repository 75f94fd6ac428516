import type Stripe from 'stripe';
import { renderMessagePage } from '../checkout-page/checkout-page.view';
import type { SimulatorContext } from '../core/context';
import { portalCancelSubscription, portalSubscriptions, portalUpdateCard } from '../flows/billing-portal';
import { htmlResult, redirectResult, type HttpResult } from '../http/http-result';
import type { PlainHandler } from '../http/plain-routes';
import type { Router } from '../http/router';
import { billingPortalUrl } from '../objects/billing-portal-session';
import { renderInvoicePage, renderPortalPage } from './billing-portal.view';

const NOTICES: Record<string, string> = {
  canceled: 'Your subscription will be canceled at the end of the billing period.',
  renewed: 'Your subscription will continue.',
  card: 'Your card was updated.',
};

/**
 * The customer portal a `billing_portal.session`'s `url` points to (`/billing-portal/:id`), and
 * the hosted invoice pages (`/invoices/:id`, each invoice's `hosted_invoice_url`).
 */
export function registerBillingPortalPages(router: Router<PlainHandler>, ctx: SimulatorContext): void {
  const withSession = (id: string, respond: (session: Stripe.BillingPortal.Session) => HttpResult): HttpResult => {
    const session = ctx.store.get('billing_portal.session', id);
    return session
      ? respond(session)
      : htmlResult(404, renderMessagePage('Not found', `No such billing portal session: ${id}`));
  };
  const back = (session: Stripe.BillingPortal.Session, notice: string) =>
    redirectResult(`${billingPortalUrl(ctx, session.id)}?notice=${notice}`);

  router
    .get('/billing-portal/:id', ({ pathParams, query }) =>
      withSession(pathParams.id, (session) => {
        const customer = ctx.store.require('customer', session.customer);
        const subscriptions = portalSubscriptions(ctx, session).map((subscription) => ({
          subscription,
          productNames: subscription.items.data.map(
            (i) => ctx.store.get('product', i.price.product as string)?.name ?? 'Subscription',
          ),
        }));
        const defaultCard =
          (customer.invoice_settings.default_payment_method as string | null) ??
          (subscriptions[0]?.subscription.default_payment_method as string | null);
        return htmlResult(
          200,
          renderPortalPage({
            session,
            customer,
            subscriptions,
            invoices: ctx.store.newestFirst('invoice', (inv) => inv.customer === customer.id && inv.status !== 'draft'),
            card: defaultCard ? (ctx.store.get('payment_method', defaultCard) ?? null) : null,
            pageUrl: billingPortalUrl(ctx, session.id),
            notice: NOTICES[query.get('notice') ?? ''] ?? null,
          }),
        );
      }),
    )
    .post('/billing-portal/:id/subscriptions/:subscriptionId/cancel', ({ pathParams }) =>
      withSession(pathParams.id, (session) => {
        portalCancelSubscription(ctx, session, pathParams.subscriptionId, true);
        return back(session, 'canceled');
      }),
    )
    .post('/billing-portal/:id/subscriptions/:subscriptionId/renew', ({ pathParams }) =>
      withSession(pathParams.id, (session) => {
        portalCancelSubscription(ctx, session, pathParams.subscriptionId, false);
        return back(session, 'renewed');
      }),
    )
    .post('/billing-portal/:id/card', ({ pathParams }) =>
      withSession(pathParams.id, (session) => {
        portalUpdateCard(ctx, session);
        return back(session, 'card');
      }),
    )
    .get('/invoices/:id', ({ pathParams }) => {
      const invoice = ctx.store.get('invoice', pathParams.id);
      return invoice
        ? htmlResult(200, renderInvoicePage(invoice))
        : htmlResult(404, renderMessagePage('Not found', 'No such invoice.'));
    });
}
