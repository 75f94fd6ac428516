import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import {
  completeCheckoutPayment,
  declineCheckoutPayment,
  lastDeclineOf,
  type PayerInput,
} from '../flows/checkout-payment';
import { lineItemsOf } from '../flows/checkout-sessions';
import { htmlResult, redirectResult, type HttpResult } from '../http/http-result';
import type { Params } from '../http/params';
import type { PlainHandler } from '../http/plain-routes';
import { Router } from '../http/router';
import { checkoutPageUrl } from '../objects/checkout-session';
import { renderCheckoutPage, renderMessagePage, renderReceiptPage, successUrl } from './checkout-page.view';

/**
 * The hosted checkout page a session's `url` points to: shows what is paid for, with **Pay**
 * (a card that succeeds, then off to `success_url`) and **Decline** (a card decline; the page
 * says so and the customer may try again).
 */
export function createCheckoutPageRouter(ctx: SimulatorContext): Router<PlainHandler> {
  const router = new Router<PlainHandler>();

  const withSession = (id: string, respond: (session: Stripe.Checkout.Session) => HttpResult): HttpResult => {
    const session = ctx.store.get('checkout.session', id);
    return session
      ? respond(session)
      : htmlResult(404, renderMessagePage('Not found', `No such checkout session: ${id}`));
  };

  const show = (session: Stripe.Checkout.Session, status = 200): HttpResult => {
    const declineMessage = lastDeclineOf(ctx, session);
    return htmlResult(
      status,
      renderCheckoutPage({
        session,
        lineItems: lineItemsOf(ctx, session.id),
        declineMessage,
        pageUrl: checkoutPageUrl(ctx, session.id),
      }),
    );
  };

  const afterPayment = (session: Stripe.Checkout.Session): HttpResult =>
    redirectResult(session.success_url ? successUrl(session) : checkoutPageUrl(ctx, session.id));

  router
    .get('/checkout/:id', ({ pathParams }) => withSession(pathParams.id, (session) => show(session)))
    .post('/checkout/:id/pay', ({ pathParams, body }) =>
      withSession(pathParams.id, (session) => {
        // A second press after paying (or a reload) goes on to the success page again.
        if (session.status === 'complete') return afterPayment(session);
        if (session.status !== 'open') return show(session, 409);
        return afterPayment(completeCheckoutPayment(ctx, session.id, payerFrom(body)));
      }),
    )
    .post('/checkout/:id/decline', ({ pathParams, body }) =>
      withSession(pathParams.id, (session) => {
        if (session.status !== 'open') return show(session, 409);
        declineCheckoutPayment(ctx, session.id, payerFrom(body));
        return redirectResult(checkoutPageUrl(ctx, session.id));
      }),
    )
    .get('/receipts/payment/:chargeId', ({ pathParams }) => {
      const charge = ctx.store.get('charge', pathParams.chargeId);
      return charge
        ? htmlResult(200, renderReceiptPage(charge))
        : htmlResult(404, renderMessagePage('Not found', 'No such receipt.'));
    });
  return router;
}

/** The form's fields; anything else a browser sends is ignored. */
function payerFrom(body: Params): PayerInput {
  return { email: body.string('email'), name: body.string('name') };
}
