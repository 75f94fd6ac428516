import { formatMoney } from '@app/common';
import type { Organisation } from '@app/config';
import type { AccountOverview, AccountSubscription } from '@app/subscriptions';
import { escapeHtml as e } from '../html';
import { readerPage } from '../layout';
import { AU_STATES, type AddressField } from './address-form';

/** Where the account's forms post. */
export const ACCOUNT_PATHS = {
  account: '/account',
  signIn: '/account/sign-in',
  signInContinue: '/account/sign-in/continue',
  signOut: '/account/sign-out',
  newLink: '/account/new-link',
  preferences: '/account/preferences',
  deliveryAddress: '/account/delivery-address',
  deliveryAddressContinue: '/account/delivery-address/continue',
  extend: '/account/extend',
  portal: '/account/portal',
  statement: '/account/statement',
  receipts: '/account/receipts',
} as const;

const NO_INDEX = '<meta name="robots" content="noindex">';

/** "4 December 2027", in the organisation's time zone. */
export function readerDate(d: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-AU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }).format(d);
}

const money = (amount: number, currency: string) => formatMoney({ amount, currency });
const receiptLink = (n: number | undefined) =>
  n === undefined ? '' : `<br><a href="${ACCOUNT_PATHS.receipts}/${n}">Receipt ${n}</a>`;
const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${e(csrf)}">`;

/** Signed out: ask for the email address to send a sign-in link to. */
export function signInPage(org: Organisation, csrf: string, opts: { error?: string } = {}): string {
  const error = opts.error
    ? `<div class="errors" role="alert"><p class="error" id="email-error">${e(opts.error)}</p></div>`
    : '';
  return readerPage(org, {
    title: 'Your account',
    head: NO_INDEX,
    script: true,
    body: `<h1>Your account</h1>
<p>See your payments and subscriptions, change your delivery address, renew early, manage your card and choose which emails you get.</p>
<p>We email you a link to sign in: no password needed.</p>
${error}
<form method="post" action="${ACCOUNT_PATHS.signIn}" data-once>
${csrfField(csrf)}
<label for="email">Your email address</label>
<p class="hint" id="email-hint">The one you gave when you donated or subscribed.</p>
<input type="email" id="email" name="email" autocomplete="email" required maxlength="254" aria-describedby="email-hint${opts.error ? ' email-error' : ''}"${opts.error ? ' aria-invalid="true"' : ''}>
<p><button type="submit">Email me a sign-in link</button></p>
</form>`,
  });
}

/** After asking for a link: the same page, byte for byte, whether or not we know the address. */
export function checkEmailPage(org: Organisation): string {
  return readerPage(org, {
    title: 'Check your email',
    head: NO_INDEX,
    body: `<h1>Check your email</h1>
<p>If we hold that email address, a link to sign in is on its way. It works once, for 15 minutes.</p>
<p>Nothing arrived? Check your spam folder, or <a href="${ACCOUNT_PATHS.account}">ask again</a> with the address you used when you gave.</p>`,
  });
}

/** A sign-in link used before, expired, or not ours: says so, and offers a fresh one by email. */
export function spentLinkPage(org: Organisation, reason: 'used' | 'expired' | 'invalid', token: string): string {
  const what =
    reason === 'used'
      ? 'This link has already been used'
      : reason === 'expired'
        ? 'This link has expired'
        : 'This link does not work';
  const why =
    reason === 'invalid'
      ? 'It may have been copied incompletely.'
      : 'For your security, each sign-in link works once, for a short time.';
  const fresh =
    reason === 'invalid'
      ? `<p><a class="button" href="${ACCOUNT_PATHS.account}">Ask for a new link</a></p>`
      : `<form method="post" action="${ACCOUNT_PATHS.newLink}" data-once>
<input type="hidden" name="token" value="${e(token)}">
<p><button type="submit">Email me a new link</button></p>
</form>
<p>We send it to the email address we hold for you.</p>`;
  return readerPage(org, {
    title: what,
    head: NO_INDEX,
    script: true,
    body: `<h1>${what}</h1><p>${why}</p>${fresh}`,
  });
}

/**
 * What following an emailed link shows: a "Continue" button posting the link's token. Only the
 * post uses the link (it works once) and signs the reader in, so a mail scanner fetching the link
 * first spends nothing. No script.
 */
export function continueLinkPage(
  org: Organisation,
  action: string,
  token: string,
  csrf: string,
  retry = false,
): string {
  const again = retry
    ? '<div class="errors" role="alert"><p class="error">This page was open too long, or your browser did not keep our cookie. Press the button again.</p></div>'
    : '';
  return readerPage(org, {
    title: 'Sign in to your account',
    head: `${NO_INDEX}<meta name="referrer" content="no-referrer">`,
    body: `<h1>Sign in to your account</h1>
${again}<form method="post" action="${e(action)}">
<input type="hidden" name="_csrf" value="${e(csrf)}">
<input type="hidden" name="token" value="${e(token)}">
<p><button type="submit">Continue</button></p>
</form>
<p>This link works once, for a short time.</p>`,
  });
}

/** A form posted without a valid token (another site, an old page), by a signed-out browser, or about someone else's subscription. */
const REFUSED = {
  csrf: 'This form could not be accepted: it may have been open too long. Go back to your account and try again.',
  'signed-out': 'You are signed out. Sign in again to make this change.',
  'not-yours': 'That subscription is not one of yours, or has no delivery address.',
  'no-statement': 'There is no giving statement for that year: you made no payment in it.',
  'no-receipt': 'There is no receipt with that number among your payments.',
} as const;

export function refusedPage(org: Organisation, why: keyof typeof REFUSED): string {
  const text = REFUSED[why];
  return readerPage(org, {
    title: 'Not changed',
    head: NO_INDEX,
    body: `<h1>Nothing was changed</h1><p>${text}</p><p><a class="button" href="${ACCOUNT_PATHS.account}">Your account</a></p>`,
  });
}

const SAVED: Record<NonNullable<AccountPageState['saved']>, string> = {
  preferences: 'Your email choices are saved.',
  address: 'The delivery address is saved: the next issue goes there.',
  statement: 'Your giving statement is on its way to your email address, as a PDF.',
};

/** The Australian financial year ending 30 June of `fyEndYear`: "1 July 2025 to 30 June 2026". */
export const financialYearLabel = (fyEndYear: number): string => `1 July ${fyEndYear - 1} to 30 June ${fyEndYear}`;

export interface AccountPageState {
  /** What was just saved (from the redirect after a change). */
  saved?: 'preferences' | 'address' | 'statement';
  /** The financial years (by the year they end) with a giving statement, newest first. */
  statementYears?: number[];
  /** Receipt numbers by ledger entry id (payments that have one). */
  receipts?: Map<string, number>;
  /** A delivery address form that did not pass its checks, re-shown with what was typed. */
  addressErrors?: {
    subscription: string;
    values: Record<string, string>;
    errors: Partial<Record<AddressField, string>>;
  };
}

const PAYMENT_WHAT: Record<string, string> = {
  donation: 'Donation',
  monthly_donation: 'Monthly donation',
  subscription: 'Subscription',
  prepaid_subscription: 'Prepaid subscription',
};
const KIND_STATUS: Record<string, string> = {
  payment: 'Paid',
  refund: 'Refunded',
  dispute: 'Disputed',
  dispute_reversal: 'Dispute won back',
  reversal: 'Corrected',
  refund_failure: 'Refund failed',
};

function subscriptionTitle(s: AccountSubscription): string {
  if (s.kind === 'monthly_donation') return 'Monthly donation';
  const name = s.tierName ?? 'Subscription';
  switch (s.billing) {
    case 'monthly':
      return `${name}, monthly`;
    case 'complimentary':
      return `${name}, complimentary`;
    default:
      return s.origin === 'offline' ? `${name}, paid by phone or post` : `${name}, prepaid`;
  }
}

function subscriptionStatus(s: AccountSubscription, zone: string, now: Date): string {
  const end = s.end ? readerDate(s.end, zone) : null;
  const start = s.start ? readerDate(s.start, zone) : null;
  if (s.billing === 'monthly') {
    switch (s.status) {
      case 'active':
      case 'trialing':
        return s.cancelAtPeriodEnd
          ? `Cancelled: ends ${end}`
          : `${money(s.amount, s.currency)} a month; next payment ${end}`;
      case 'past_due':
        return 'Payment failed: update your card to keep it going';
      default:
        return 'Ended';
    }
  }
  if (s.status !== 'active' || (s.end && s.end <= now)) return end ? `Ended ${end}` : 'Ended';
  if (s.start && s.start > now) return `From ${start} until ${end}`;
  return end ? `Until ${end}` : 'Without an end date';
}

function addressText(a: AccountSubscription['deliveryAddress']): string {
  if (!a) return 'No delivery address yet: add it below.';
  return [a.line1, a.line2, `${a.city} ${a.state} ${a.postalCode}`]
    .filter(Boolean)
    .map((x) => e(x!))
    .join(', ');
}

function addressForm(s: AccountSubscription, csrf: string, state: AccountPageState): string {
  const mine = state.addressErrors?.subscription === s.id ? state.addressErrors : undefined;
  const value = (k: string) => e(mine?.values[k] ?? (s.deliveryAddress as Record<string, string> | null)?.[k] ?? '');
  const id = (k: string) => `${k}-${s.id}`;
  const field = (k: AddressField, label: string, attrs: string) => {
    const err = mine?.errors[k];
    return `<label for="${id(k)}">${label}</label>
<input type="text" id="${id(k)}" name="${k}" value="${value(k)}" ${attrs}${err ? ` aria-invalid="true" aria-describedby="${id(k)}-error"` : ''}>
${err ? `<p class="error" id="${id(k)}-error">${e(err)}</p>` : ''}`;
  };
  const stateErr = mine?.errors.state;
  const current = (mine?.values.state ?? s.deliveryAddress?.state ?? '').toUpperCase();
  const options = AU_STATES.map(
    ([code, name]) => `<option value="${code}"${code === current ? ' selected' : ''}>${e(name)}</option>`,
  ).join('');
  return `<details${mine || !s.deliveryAddress ? ' open' : ''}><summary>Change the delivery address</summary>
<form method="post" action="${ACCOUNT_PATHS.deliveryAddress}" data-once novalidate>
${csrfField(csrf)}
<input type="hidden" name="subscription" value="${e(s.id)}">
${mine ? '<div class="errors" role="alert"><p class="error">Please check the address below.</p></div>' : ''}
${field('line1', 'Street address', 'autocomplete="address-line1" required maxlength="200"')}
${field('line2', 'Second line (optional)', 'autocomplete="address-line2" maxlength="200"')}
${field('city', 'Suburb or town', 'autocomplete="address-level2" required maxlength="100"')}
<label for="${id('state')}">State or territory</label>
<select id="${id('state')}" name="state" autocomplete="address-level1" required${stateErr ? ` aria-invalid="true" aria-describedby="${id('state')}-error"` : ''}><option value="">Choose…</option>${options}</select>
${stateErr ? `<p class="error" id="${id('state')}-error">${e(stateErr)}</p>` : ''}
${field('postalCode', 'Postcode', 'autocomplete="postal-code" inputmode="numeric" required maxlength="4"')}
<p class="hint">We post within Australia.</p>
<p><button type="submit">Save the delivery address</button></p>
</form></details>`;
}

/** The signed-in account: payments, subscriptions and access, delivery addresses, card, emails. */
export function accountPage(
  org: Organisation,
  zone: string,
  csrf: string,
  o: AccountOverview,
  state: AccountPageState = {},
): string {
  const now = new Date();
  const who = o.supporter.name ?? o.supporter.email ?? '';
  const saved = state.saved ? `<p class="card" role="status">${SAVED[state.saved]}</p>` : '';

  const access = o.entitlements.length
    ? `<ul>${o.entitlements
        .map(
          (g) =>
            `<li><strong>${g.code === 'print' ? 'Print edition' : g.code === 'digital' ? 'Digital edition' : e(g.code)}</strong>: ${
              g.until ? `until ${readerDate(g.until, zone)}` : 'without an end date'
            }</li>`,
        )
        .join('')}</ul>`
    : '<p>You have no subscription running.</p>';

  const subs = o.subscriptions.length
    ? o.subscriptions
        .map((s) => {
          const extend = s.extendable
            ? `<form method="post" action="${ACCOUNT_PATHS.extend}" data-once>${csrfField(csrf)}<input type="hidden" name="subscription" value="${e(s.id)}">
<p><button type="submit">Extend by ${o.tiers.get(s.tier!)!.prepaidMonths === 12 ? 'a year' : `${o.tiers.get(s.tier!)!.prepaidMonths} months`}</button></p>
<p class="hint">${money(o.tiers.get(s.tier!)!.prepaidAmount, o.tiers.get(s.tier!)!.currency)}, paid now; the new period starts when this one ends${s.end ? `, on ${readerDate(s.end, zone)}` : ''}.</p></form>`
            : '';
          const delivery = s.posted
            ? `<h3 id="delivery-${e(s.id)}">Delivery address</h3><p>${addressText(s.deliveryAddress)}</p>${addressForm(s, csrf, state)}`
            : '';
          return `<section class="card" aria-labelledby="sub-${e(s.id)}"><h3 id="sub-${e(s.id)}">${e(subscriptionTitle(s))}</h3>
<p>${e(subscriptionStatus(s, zone, now))}</p>${extend}${delivery}</section>`;
        })
        .join('')
    : '<p>No subscriptions or monthly donations.</p>';

  const payments = o.payments.length
    ? `<table><caption class="visually-hidden">Your payments, newest first</caption>
<thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col" class="amount">Amount</th><th scope="col">Status</th></tr></thead>
<tbody>${o.payments
        .map(
          (p) =>
            `<tr><td>${readerDate(p.occurredAt, zone)}</td><td>${e(PAYMENT_WHAT[p.type] ?? p.type)}${p.channel === 'phone' ? ' (by phone)' : ''}</td><td class="amount">${money(p.gross, p.currency)}</td><td>${e(KIND_STATUS[p.kind] ?? p.kind)}${receiptLink(state.receipts?.get(p.id))}</td></tr>`,
        )
        .join('')}</tbody></table>
<p class="hint">Receipts open in your browser, ready to print or save.</p>`
    : '<p>No payments yet.</p>';

  const card = o.supporter.canManageCard
    ? `<form method="post" action="${ACCOUNT_PATHS.portal}">${csrfField(csrf)}
<p>Update your card, cancel a monthly payment or see Stripe's invoices on Stripe's secure page.</p>
<p><button type="submit">Manage card and cancellation</button></p></form>`
    : '<p>You have no card on file with us.</p>';

  const prefs = `<form method="post" action="${ACCOUNT_PATHS.preferences}" data-once>${csrfField(csrf)}
<fieldset><legend>Emails</legend>
<label for="email-updates"><input type="checkbox" id="email-updates" name="emailUpdates" value="on"${o.supporter.emailUpdates ? ' checked' : ''}>
Send me welcome emails, reminders before a prepaid period ends, and my yearly giving statement</label>
<p class="hint">Receipts and notices about your own payments (a failed payment, a refund, a cancellation) are always sent.</p>
</fieldset>
<p><button type="submit" class="secondary">Save email choices</button></p></form>`;

  const years = state.statementYears ?? [];
  const statement = years.length
    ? `<form method="post" action="${ACCOUNT_PATHS.statement}" data-once>${csrfField(csrf)}
<label for="statement-year">Financial year</label>
<select id="statement-year" name="year">${years.map((y) => `<option value="${y}">${e(financialYearLabel(y))}</option>`).join('')}</select>
<p class="hint">Every payment you made in the year and the total, for your tax return. Sent to your email address as a PDF.</p>
<p><button type="submit" class="secondary">Email me my giving statement</button></p></form>`
    : '<p>Once you have given, you can ask for a statement of a financial year here.</p>';

  return readerPage(org, {
    title: 'Your account',
    head: NO_INDEX,
    script: true,
    body: `<h1>Your account</h1>
<p>Signed in as ${e(who)}${o.supporter.email && who !== o.supporter.email ? ` (${e(o.supporter.email)})` : ''}.</p>
${saved}
<nav aria-label="On this page"><p><a href="#access">Access</a> · <a href="#subscriptions">Subscriptions</a> · <a href="#payments">Payments</a> · <a href="#card">Card</a> · <a href="#preferences">Emails</a> · <a href="#statement">Giving statement</a></p></nav>
<section aria-labelledby="access"><h2 id="access">Your access</h2>${access}</section>
<section aria-labelledby="subscriptions"><h2 id="subscriptions">Subscriptions and monthly donations</h2><div id="delivery">${subs}</div></section>
<section aria-labelledby="payments"><h2 id="payments">Payments</h2>${payments}</section>
<section aria-labelledby="card"><h2 id="card">Card and cancellation</h2>${card}</section>
<section aria-labelledby="preferences"><h2 id="preferences">Email choices</h2>${prefs}</section>
<section aria-labelledby="statement"><h2 id="statement">Giving statement</h2>${statement}</section>
<form method="post" action="${ACCOUNT_PATHS.signOut}">${csrfField(csrf)}<p><button type="submit" class="secondary">Sign out</button></p></form>`,
  });
}
