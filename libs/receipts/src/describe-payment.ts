import type { EntryFacts } from './receipts.repository';

/** How a payment was made, as a receipt says it ("in cash"); null when there is nothing to say. */
export function howPaid(method: string): string | null {
  const known: Record<string, string> = {
    cash: 'in cash',
    cheque: 'by cheque',
    bank_transfer: 'by bank transfer',
    card: 'by card',
    au_becs_debit: 'by direct debit',
    link: 'by card (Link)',
  };
  return known[method] ?? null;
}

/** What a payment was for, in the words of its receipt; `details` (a phone payment's) override. */
export interface PaymentWords {
  /** "donation", "Digital edition subscription": the subject's and notices' word. */
  what: string;
  /** The subject puts the amount in brackets ("… subscription ($15.00)") rather than "of $15.00". */
  bracketAmount: boolean;
  /** "Thank you for your <thanksFor> of …". */
  thanksFor: string;
  /** "… for <months>" ("3 months of Digital edition"). */
  months: string | null;
  /** The receipt's "For" line. */
  forLine: string;
}

export interface ReceiptDetails {
  /** The "For" line (say "Digital edition, 3 months, paid by phone"). */
  for?: string;
  tierName?: string;
  months?: number;
  /** A sentence after the thanks ("Your subscription runs until …"). */
  note?: string;
}

export function describePayment(f: EntryFacts, details: ReceiptDetails = {}): PaymentWords {
  const tier = details.tierName ?? f.tierName ?? 'subscription';
  switch (f.type) {
    case 'donation':
      return {
        what: 'donation',
        bracketAmount: false,
        thanksFor: 'donation',
        months: null,
        forLine: details.for ?? (f.campaignTitle ? `One-off donation to ${f.campaignTitle}` : 'One-off donation'),
      };
    case 'monthly_donation':
      return {
        what: 'monthly donation',
        bracketAmount: false,
        thanksFor: 'monthly donation',
        months: null,
        forLine: details.for ?? 'Monthly donation',
      };
    case 'subscription':
      return {
        what: `${tier} subscription`,
        bracketAmount: true,
        thanksFor: 'payment',
        months: null,
        forLine: details.for ?? `${tier} subscription, one month`,
      };
    default: {
      const months = details.months ?? f.prepaidMonths;
      return {
        what: `${tier} subscription`,
        bracketAmount: true,
        thanksFor: 'payment',
        months: months ? `${months} months of ${tier}` : null,
        forLine: details.for ?? (months ? `${tier}, ${months} months paid in advance` : (f.description ?? tier)),
      };
    }
  }
}
