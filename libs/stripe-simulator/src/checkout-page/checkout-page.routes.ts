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
import { DECLINED_CARD, testCardByNumber } from '../objects/payment-method';
import { renderCheckoutPage, renderMessagePage, renderReceiptPage, successUrl } from './checkout-page.view';

/**
 * The hosted checkout page a session's `url` points to: shows what is paid for, with **Pay**
 * (a card that succeeds, then off to `success_url`) and **Decline** (a card decline; the page
 * says so and the customer may try again). Pay takes one of Stripe's test card numbers (blank:
 * 4242): 4000 0000 0000 0002 declines as the Decline button does, and 4000 0000 0000 5126 pays
 * but makes the charge's refunds fail shortly after succeeding. Any other number is refused
 * (400, nothing created), as test mode refuses real cards.
 */
export function createCheckoutPageRouter(ctx: SimulatorContext): Router<PlainHandler> {
  const router = new Router<PlainHandler>();

  const withSession = (id: string, respond: (session: Stripe.Checkout.Session) => HttpResult): HttpResult => {
    const session = ctx.store.get('checkout.session', id);
    return session
      ? respond(session)
      : htmlResult(404, renderMessagePage('Not found', `No such checkout session: ${id}`));
  };

  const show = (session: Stripe.Checkout.Session, status = 200, error: string | null = null): HttpResult => {
    const declineMessage = error ?? lastDeclineOf(ctx, session);
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
        const typed = body.string('card_number')?.trim();
        const card = typed ? testCardByNumber(typed) : undefined;
        if (card === null) return show(session, 400, NOT_A_TEST_CARD);
        if (card === DECLINED_CARD) {
          declineCheckoutPayment(ctx, session.id, payerFrom(body));
          return redirectResult(checkoutPageUrl(ctx, session.id));
        }
        return afterPayment(completeCheckoutPayment(ctx, session.id, { ...payerFrom(body), card }));
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

/** Stripe's answer, in test mode, to a card number that is not one of its test cards. */
const NOT_A_TEST_CARD =
  'Your card was declined. Your request was in test mode, but used a non test card. Test cards: 4242 4242 4242 4242, 4000 0000 0000 0002, 4000 0000 0000 5126.';

/** The form's fields (the card number is read apart); anything else a browser sends is ignored. */
function payerFrom(body: Params): PayerInput {
  return { email: body.string('email'), name: body.string('name') };
}
