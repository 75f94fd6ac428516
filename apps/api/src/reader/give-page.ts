import type { CampaignProgressDto } from '@app/campaigns';
import { formatMoney } from '@app/common';
import type { Organisation } from '@app/config';
import { csrfField, errorSummary, type FieldErrors, input, radios } from './forms';
import { escapeHtml } from './html';
import { readerPage } from './layout';

/** The amounts offered on the donate page, in minor units (any other amount can be typed). */
export const SUGGESTED_AMOUNTS = [1000, 2500, 5000, 10000];
/** The amount chosen when the page opens. */
export const DEFAULT_AMOUNT = 2500;

/** What the donate form holds: as the reader left it (kept when the page comes back with errors). */
export interface GiveForm {
  frequency: string;
  /** A suggested amount in minor units as text, or "other". */
  amount: string;
  otherAmount: string;
  email: string;
  name: string;
}

export const GIVE_FIELDS = ['frequency', 'amount', 'otherAmount', 'email', 'name'];

/** The campaign's progress bar (a native <progress> with its sentence), as the embed shows it. */
export function progressBlock(p: CampaignProgressDto): string {
  const max = Math.max(p.target, 1);
  const value = Math.max(Math.min(p.raised, max), 0);
  // Grouped by hand: toLocaleString builds a formatter per call, a third of the page's rendering time.
  const count = String(p.supporters).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const supporters = `${count} ${p.supporters === 1 ? 'supporter' : 'supporters'}`;
  return `<section class="progress card" aria-labelledby="progress-title">
<h2 id="progress-title">${escapeHtml(p.title)}</h2>
<progress max="${max}" value="${value}" aria-labelledby="progress-sentence">${p.percent}%</progress>
<p id="progress-sentence"><strong>${escapeHtml(p.sentence)}</strong> · ${escapeHtml(supporters)}</p>
</section>`;
}

/** The suggested amounts' labels per currency ("$10"), formatted once (Intl formatters are costly to build). */
const amountLabels = new Map<string, Array<{ value: string; label: string }>>();
function suggestedOptions(currency: string): Array<{ value: string; label: string }> {
  let options = amountLabels.get(currency);
  if (!options) {
    options = [
      ...SUGGESTED_AMOUNTS.map((a) => ({
        value: String(a),
        label: formatMoney({ amount: a, currency }).replace(/\.00$/, ''),
      })),
      { value: 'other', label: 'Other' },
    ];
    amountLabels.set(currency, options);
  }
  return options;
}

export function givePage(opts: {
  org: Organisation;
  currency: string;
  action: string;
  csrf: string;
  form: GiveForm;
  errors: FieldErrors;
  progress: CampaignProgressDto | null;
  /** The campaign named in the link (not the site's current one). */
  campaignTitle: string | null;
}): string {
  const { org, currency, form, errors } = opts;
  const title = opts.campaignTitle ? `Give to ${opts.campaignTitle}` : `Support ${org.name}`;
  const body = `<h1>${escapeHtml(title)}</h1>
${errorSummary(errors, GIVE_FIELDS)}
<p>We are funded by our readers. Give once, or every month: every gift keeps our journalism free to read.</p>
${opts.progress ? progressBlock(opts.progress) : ''}
<form method="post" action="${escapeHtml(opts.action)}" novalidate data-once>
${csrfField(opts.csrf)}
${radios({
  name: 'frequency',
  legend: 'How often',
  options: [
    { value: 'one_off', label: 'Once' },
    { value: 'monthly', label: 'Monthly' },
  ],
  checked: form.frequency,
  errors,
})}
${radios({
  name: 'amount',
  legend: `Amount (${currency})`,
  options: suggestedOptions(currency),
  checked: form.amount,
  errors,
})}
${input({
  name: 'otherAmount',
  label: `Other amount (${currency})`,
  hint: 'Dollars and cents, for example 15 or 15.50. Leave empty to give the amount chosen above.',
  value: form.otherAmount,
  errors,
  inputmode: 'decimal',
  autocomplete: 'transaction-amount',
  extra: ' data-other-amount',
})}
${input({ name: 'email', label: 'Email', type: 'email', value: form.email, errors, autocomplete: 'email', required: true, hint: 'For your receipt.' })}
${input({ name: 'name', label: 'Name (optional)', value: form.name, errors, autocomplete: 'name' })}
<p><button type="submit">Continue to payment</button></p>
<p class="hint">You pay on Stripe's secure page; we never see your card number.</p>
</form>`;
  return readerPage(org, { title, body, script: true });
}

/** A page that only explains (unknown campaign, campaign ended, form expired, …) with a way on. */
export function messagePage(
  org: Organisation,
  title: string,
  paragraphs: string[],
  links: Array<{ href: string; text: string }>,
): string {
  const body = `<h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p>${links.map((l) => `<a class="button${l === links[0] ? '' : ' secondary'}" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(' ')}</p>`;
  return readerPage(org, { title, body });
}

/** A form posted without a valid CSRF token (open too long, or cookies off): nothing done, a way back to `formHref`. */
export function expiredFormPage(org: Organisation, formHref: string): string {
  return messagePage(
    org,
    'This form has expired',
    [
      'For your security, we could not accept this form: it was open too long, or cookies are turned off in your browser. Nothing was charged.',
    ],
    [{ href: formHref, text: 'Open the form again' }],
  );
}
