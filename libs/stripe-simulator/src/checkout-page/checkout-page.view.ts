import type Stripe from 'stripe';
import { formatMoney } from '../core/money';

export interface CheckoutPageModel {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  /** The last attempt's decline message, while the session is still open. */
  declineMessage: string | null;
  /** Absolute URL of the page (the forms post to `<pageUrl>/pay` and `<pageUrl>/decline`). */
  pageUrl: string;
}

export function renderCheckoutPage({ session, lineItems, declineMessage, pageUrl }: CheckoutPageModel): string {
  const currency = session.currency ?? 'usd';
  const recurring =
    session.mode === 'subscription' ? lineItems.find((item) => item.price?.recurring)?.price?.recurring : undefined;
  const per = (r: { interval: string; interval_count: number } | null | undefined) =>
    r ? (r.interval_count > 1 ? ` every ${r.interval_count} ${r.interval}s` : ` per ${r.interval}`) : '';
  const total = formatMoney(session.amount_total ?? 0, currency);
  const rows = lineItems
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.description ?? '')}${item.quantity && item.quantity > 1 ? ` × ${item.quantity}` : ''}</td>` +
        `<td class="amount">${formatMoney(item.amount_total, item.currency)}${per(item.price?.recurring)}</td></tr>`,
    )
    .join('');
  const email = session.customer_details?.email ?? session.customer_email ?? '';

  let body: string;
  if (session.status === 'complete') {
    body = `<p class="notice ok">Payment complete. Thank you!</p>${session.success_url ? `<p><a href="${escapeHtml(successUrl(session))}">Continue</a></p>` : ''}`;
  } else if (session.status === 'expired') {
    body = `<p class="notice">This checkout session has expired.</p>`;
  } else {
    body = `
    ${declineMessage ? `<p class="notice error" role="alert">${escapeHtml(declineMessage)}</p>` : ''}
    <form method="post" action="${escapeHtml(pageUrl)}/pay">
      <label>Email <input type="email" name="email" value="${escapeHtml(email)}"${session.customer_email ? ' readonly' : ''}></label>
      <label>Name on card <input type="text" name="name" value="" autocomplete="cc-name"></label>
      <label>Card number <input type="text" name="card_number" value="" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"></label>
      <p class="card">Simulated test cards: blank or 4242 4242 4242 4242 pays; 4000 0000 0000 5126 pays, and its refunds fail shortly after; 4000 0000 0000 0002 (or Decline) is declined.</p>
      <button type="submit">Pay</button>
      <button type="submit" class="secondary" formaction="${escapeHtml(pageUrl)}/decline">Decline</button>
    </form>
    ${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">← Cancel and go back</a></p>` : ''}`;
  }

  return page(
    `${session.status === 'open' ? (recurring ? 'Subscribe' : 'Pay') : 'Checkout'} ${total}${per(recurring)}`,
    `
    <p class="banner">Stripe simulator · test mode · no real money moves</p>
    <h1>${total}${recurring ? `<small>${per(recurring)}</small>` : ''}</h1>
    <table>${rows}<tr class="total"><td>${recurring ? 'Total due today' : 'Total due'}</td><td class="amount">${total}</td></tr></table>
    ${email ? `<p>Email: <strong>${escapeHtml(email)}</strong></p>` : ''}
    ${body}`,
  );
}

export function renderMessagePage(title: string, message: string): string {
  return page(
    title,
    `<p class="banner">Stripe simulator · test mode · no real money moves</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`,
  );
}

export function renderReceiptPage(charge: Stripe.Charge): string {
  const refunded =
    charge.amount_refunded > 0 ? `<p>Refunded: ${formatMoney(charge.amount_refunded, charge.currency)}</p>` : '';
  return page(
    'Receipt',
    `<p class="banner">Stripe simulator · test mode · no real money moves</p>
    <h1>Receipt</h1>
    <p>${escapeHtml(charge.description ?? 'Payment')}</p>
    <p>Amount paid: <strong>${formatMoney(charge.amount_captured, charge.currency)}</strong></p>${refunded}
    <p>Card: Visa •••• ${escapeHtml(charge.payment_method_details?.card?.last4 ?? '')}</p>`,
  );
}

/** `success_url` with Stripe's `{CHECKOUT_SESSION_ID}` template variable filled in. */
export function successUrl(session: Stripe.Checkout.Session): string {
  return (session.success_url ?? '').split('{CHECKOUT_SESSION_ID}').join(session.id);
}

export function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f8fa; color: #1a1f36; margin: 0; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
  .banner { background: #fff4d6; color: #7a5b00; padding: .5rem .75rem; border-radius: 4px; font-size: .85rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td { padding: .4rem 0; border-bottom: 1px solid #e3e8ee; }
  .amount { text-align: right; }
  .total td { font-weight: 600; border-bottom: none; }
  label { display: block; margin: .75rem 0; font-size: .9rem; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #c1c9d2; border-radius: 4px; }
  .card { color: #697386; font-size: .85rem; }
  button { padding: .6rem 1.5rem; border: none; border-radius: 4px; background: #635bff; color: #fff; font-size: 1rem; cursor: pointer; }
  button.secondary { background: #e3e8ee; color: #1a1f36; margin-left: .5rem; }
  .notice { padding: .75rem; border-radius: 4px; background: #e3e8ee; }
  .notice.ok { background: #d7f7c2; }
  .notice.error { background: #ffe7f2; color: #a41c4e; }
  h1 small { font-size: 1rem; font-weight: normal; color: #697386; }
  h2 { font-size: 1.1rem; margin-top: 1.5rem; }
  .subscription { border: 1px solid #e3e8ee; border-radius: 6px; padding: .25rem .75rem .75rem; margin: .5rem 0; }
</style>
</head>
<body><main>${content}
</main></body>
</html>
`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
