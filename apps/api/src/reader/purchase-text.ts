import { formatMoney } from '@app/common';
import type { PostalAddress } from '@app/donations';
import type { PurchaseSummary } from '@app/subscriptions';
import { readerDate } from './forms';

/** One line of a postal address: "12 Smith St, Unit 2, Newtown NSW 2042". */
export function addressLine(a: PostalAddress): string {
  return [a.line1, a.line2, `${a.city} ${a.state} ${a.postalCode}`.trim()].filter(Boolean).join(', ');
}

export interface PurchaseText {
  /** The page's heading. */
  headline: string;
  /** Sentences under it, plain text. */
  lines: string[];
  /** The payment is not recorded yet (the webhook is on its way). */
  pending: boolean;
}

/**
 * What the thank-you page says was bought, from the checkout and (once paid) its subscription:
 * "your donation of $25.00", "your monthly donation of $10.00 from 4 December", "your print
 * subscription: first issue to 12 Smith St…", "digital access until 4 December 2027". Dates in
 * the organisation's time zone, en-AU.
 */
export function purchaseText(p: PurchaseSummary, timeZone: string, now: Date = new Date()): PurchaseText {
  const money = formatMoney({ amount: p.amount, currency: p.currency });
  const pending = p.status !== 'complete';
  const lines: string[] = [];
  let headline: string;
  if (p.purpose === 'donation') {
    const toward = p.campaign && !p.campaign.current ? ` toward ${p.campaign.title}` : '';
    if (p.frequency === 'monthly') {
      const from = p.subscription?.currentPeriodStart ?? p.completedAt ?? now;
      headline = `Thank you for your monthly donation of ${money} from ${readerDate(from, timeZone, false)}`;
      lines.push(
        `${money} will be given${toward} each month on the same day, until you stop it. You can stop it or change your card at any time from the link in your emails.`,
      );
    } else {
      headline = `Thank you for your donation of ${money}`;
      if (toward) lines.push(`Your gift counts${toward}.`);
    }
  } else {
    const tierCode = p.tier?.code ?? 'digital';
    const edition = tierCode === 'print' ? 'print' : tierCode === 'digital' ? 'digital' : (p.tier?.name ?? tierCode);
    const address = p.subscription?.deliveryAddress ?? p.deliveryAddress;
    const end = p.subscription?.currentPeriodEnd ?? null;
    if (p.frequency === 'prepaid') {
      if (end && tierCode !== 'print') {
        headline = `Thank you: ${edition} access until ${readerDate(end, timeZone)}`;
      } else {
        headline = `Thank you for your ${edition} subscription`;
      }
      lines.push(
        end
          ? `You paid ${money} for ${p.prepaidMonths ?? 12} months: your ${edition} subscription runs until ${readerDate(end, timeZone)}, without renewing.`
          : `You are paying ${money} for ${p.prepaidMonths ?? 12} months, without renewing.`,
      );
    } else {
      headline = `Thank you for your ${edition} subscription`;
      lines.push(
        `${money} a month, until you cancel. You can cancel or change your card at any time from the link in your emails.`,
      );
    }
    if (tierCode === 'print' && address) {
      lines.unshift(`Your print subscription: first issue to ${addressLine(address)}.`);
      if (end && p.frequency === 'prepaid') {
        lines.push(`Digital access is included until ${readerDate(end, timeZone)}.`);
      }
    }
  }
  if (p.status === 'expired' || p.status === 'failed') {
    return { headline: 'This payment did not go through', lines: ['Nothing was charged.'], pending: false };
  }
  if (pending) lines.push('Your payment is being confirmed: it will be recorded in a moment.');
  return { headline, lines, pending: p.status === 'open' || p.status === 'creating' };
}
