import { formatMoney } from '@app/common';
import type { Organisation } from '@app/config';
import type { TierDto } from '@app/subscriptions';
import { AU_STATES, csrfField, errorSummary, type FieldErrors, input, radios, select } from './forms';
import { escapeHtml } from './html';
import { readerPage } from './layout';

export interface SubscribeForm {
  tier: string;
  billing: string;
  name: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
}

export const SUBSCRIBE_FIELDS = [
  'tier',
  'billing',
  'name',
  'email',
  'address.line1',
  'address.line2',
  'address.city',
  'address.state',
  'address.postalCode',
];

const money = (amount: number, currency: string) => formatMoney({ amount, currency });

export function subscribePage(opts: {
  org: Organisation;
  tiers: TierDto[];
  csrf: string;
  form: SubscribeForm;
  errors: FieldErrors;
}): string {
  const { org, tiers, form, errors } = opts;
  const prepaid = (t: TierDto) => t.prepaidOptions[0];
  const tierOptions = tiers.map((t) => ({
    value: t.code,
    label: `${t.name}: ${money(t.monthlyAmount, t.currency)} a month${t.requiresDeliveryAddress ? ', posted to you, digital included' : ''}`,
  }));
  const months = prepaid(tiers[0])?.months ?? 12;
  const prices = tiers
    .filter((t) => prepaid(t))
    .map((t) => `${t.name.toLowerCase()} ${money(prepaid(t).amount, t.currency)}`)
    .join(', ');
  const addressTier = tiers.find((t) => t.requiresDeliveryAddress)?.code ?? 'print';
  const title = 'Subscribe';
  const body = `<h1>Subscribe to ${escapeHtml(org.name)}</h1>
${errorSummary(errors, SUBSCRIBE_FIELDS)}
<p>Subscribers keep our journalism going. Choose the digital edition, or the print edition posted to you with digital access included.</p>
<form method="post" action="/subscribe" novalidate data-once>
${csrfField(opts.csrf)}
${radios({ name: 'tier', legend: 'Edition', options: tierOptions, checked: form.tier, errors })}
${radios({
  name: 'billing',
  legend: 'How to pay',
  options: [
    { value: 'monthly', label: 'Monthly, cancel any time' },
    { value: 'prepaid', label: `${months} months up front` },
  ],
  checked: form.billing,
  errors,
  hint: prices ? `${months} months paid once, without renewing: ${prices}.` : undefined,
})}
${input({ name: 'name', label: 'Full name', value: form.name, errors, autocomplete: 'name', required: true })}
${input({ name: 'email', label: 'Email', type: 'email', value: form.email, errors, autocomplete: 'email', required: true, hint: 'For your receipt and to manage your subscription.' })}
<fieldset class="card" id="delivery-address" data-show-when="tier=${escapeHtml(addressTier)}">
<legend>Delivery address (print edition)</legend>
<p class="hint">Where we post the paper, in Australia.</p>
${input({ name: 'address.line1', label: 'Street address', value: form.line1, errors, autocomplete: 'address-line1' })}
${input({ name: 'address.line2', label: 'Unit, building (optional)', value: form.line2, errors, autocomplete: 'address-line2' })}
${input({ name: 'address.city', label: 'Suburb or town', value: form.city, errors, autocomplete: 'address-level2' })}
${select({ name: 'address.state', label: 'State or territory', options: AU_STATES, value: form.state, errors, autocomplete: 'address-level1' })}
${input({ name: 'address.postalCode', label: 'Postcode', value: form.postalCode, errors, autocomplete: 'postal-code', inputmode: 'numeric' })}
<input type="hidden" name="address.country" value="AU">
</fieldset>
<p><button type="submit">Continue to payment</button></p>
<p class="hint">You pay on Stripe's secure page; we never see your card number.</p>
</form>`;
  return readerPage(org, { title, body, script: true });
}

/** The reader already has this access: say so, and offer a sign-in link to their account. */
export function alreadySubscribedPage(org: Organisation, email: string, csrf: string): string {
  const body = `<h1>You already subscribe</h1>
<p>The email address ${escapeHtml(email)} already has this subscription, so we have not charged you again.</p>
<p>To see it, renew it early, change the delivery address or your card, sign in to your account: we email you a link.</p>
<form method="post" action="/account/sign-in" data-once>
${csrfField(csrf)}
<input type="hidden" name="email" value="${escapeHtml(email)}">
<p><button type="submit">Email me a sign-in link</button></p>
</form>
<p><a href="${escapeHtml(org.siteUrl)}">Back to ${escapeHtml(org.name)}</a></p>`;
  return readerPage(org, { title: 'You already subscribe', body });
}
