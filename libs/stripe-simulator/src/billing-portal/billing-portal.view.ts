import type Stripe from 'stripe';
import { escapeHtml, page } from '../checkout-page/checkout-page.view';
import { formatMoney } from '../core/money';

export interface PortalSubscriptionRow {
  subscription: Stripe.Subscription;
  productNames: string[];
}

export interface PortalPageModel {
  session: Stripe.BillingPortal.Session;
  customer: Stripe.Customer;
  subscriptions: PortalSubscriptionRow[];
  invoices: Stripe.Invoice[];
  card: Stripe.PaymentMethod | null;
  /** Absolute URL of the page (forms post below it). */
  pageUrl: string;
  notice: string | null;
}

const BANNER = '<p class="banner">Stripe simulator · test mode · no real money moves</p>';

/** The customer portal: subscriptions with Cancel / Don't cancel, the card with Update card, invoice history. */
export function renderPortalPage(model: PortalPageModel): string {
  const { session, customer, pageUrl } = model;
  const subs =
    model.subscriptions.map((row) => renderSubscription(row, pageUrl)).join('') || '<p>No subscriptions.</p>';
  const card = model.card?.card ? `Visa •••• ${escapeHtml(model.card.card.last4)}` : 'No card on file';
  const invoices = model.invoices
    .map(
      (inv) =>
        `<tr data-invoice="${escapeHtml(inv.id)}"><td>${formatDate(inv.created)}</td><td>${escapeHtml(inv.number ?? inv.id)}</td>` +
        `<td class="amount">${formatMoney(inv.amount_due, inv.currency)}</td><td>${escapeHtml(inv.status ?? '')}</td></tr>`,
    )
    .join('');
  return page(
    'Manage your subscription',
    `${BANNER}
    <h1>Manage your subscription</h1>
    <p>${escapeHtml(customer.name ?? '')} ${customer.email ? `&lt;${escapeHtml(customer.email)}&gt;` : ''}</p>
    ${model.notice ? `<p class="notice ok" role="status">${escapeHtml(model.notice)}</p>` : ''}
    <h2>Subscriptions</h2>
    ${subs}
    <h2>Payment method</h2>
    <p class="card">${card}</p>
    <form method="post" action="${escapeHtml(pageUrl)}/card">
      <button type="submit">Update card</button>
    </form>
    <p class="card">Update card attaches a working card (4242) and pays any open invoice with it.</p>
    ${invoices ? `<h2>Invoice history</h2><table>${invoices}</table>` : ''}
    ${session.return_url ? `<p><a href="${escapeHtml(session.return_url)}">← Return</a></p>` : ''}`,
  );
}

function renderSubscription({ subscription: sub, productNames }: PortalSubscriptionRow, pageUrl: string): string {
  const item = sub.items.data[0];
  const amount = sub.items.data.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * (i.quantity ?? 1), 0);
  const recurring = item?.price.recurring;
  const per = recurring
    ? recurring.interval_count > 1
      ? ` every ${recurring.interval_count} ${recurring.interval}s`
      : ` per ${recurring.interval}`
    : '';
  const periodEnd = item?.current_period_end;
  let when: string;
  if (sub.status === 'canceled') when = `Ended ${formatDate(sub.ended_at ?? sub.canceled_at ?? 0)}`;
  else if (sub.cancel_at_period_end || sub.cancel_at) when = `Cancels on ${formatDate(sub.cancel_at ?? periodEnd)}`;
  else when = `Renews on ${formatDate(periodEnd)}`;
  const action = `${escapeHtml(pageUrl)}/subscriptions/${escapeHtml(sub.id)}`;
  let buttons = '';
  if (sub.status !== 'canceled') {
    buttons = sub.cancel_at_period_end
      ? `<form method="post" action="${action}/renew"><button type="submit">Don't cancel</button></form>`
      : `<form method="post" action="${action}/cancel"><button type="submit" class="secondary">Cancel</button></form>`;
  }
  return `
    <section class="subscription" data-subscription="${escapeHtml(sub.id)}">
      <p><strong>${escapeHtml(productNames.join(', '))}</strong> · ${formatMoney(amount, sub.currency)}${per}</p>
      <p>Status: <span class="status">${escapeHtml(sub.status)}</span> · ${when}</p>
      ${sub.status === 'past_due' ? '<p class="notice error" role="alert">Your last payment failed. Update your card to pay the open invoice.</p>' : ''}
      ${buttons}
    </section>`;
}

export function renderInvoicePage(invoice: Stripe.Invoice): string {
  const rows = invoice.lines.data
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description ?? '')}</td><td class="amount">${formatMoney(line.amount, line.currency)}</td></tr>`,
    )
    .join('');
  return page(
    `Invoice ${invoice.number ?? invoice.id}`,
    `${BANNER}
    <h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
    <p>Status: <strong>${escapeHtml(invoice.status ?? '')}</strong> · ${formatDate(invoice.created)}</p>
    <table>${rows}<tr class="total"><td>Amount due</td><td class="amount">${formatMoney(invoice.amount_due, invoice.currency)}</td></tr>
    <tr><td>Amount paid</td><td class="amount">${formatMoney(invoice.amount_paid, invoice.currency)}</td></tr></table>`,
  );
}

function formatDate(unixSeconds: number | null | undefined): string {
  if (!unixSeconds) return '';
  return new Date(unixSeconds * 1000).toLocaleDateString('en-AU', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
