import type { Subscription } from './subscription.entity';

export interface EntitlementGrant {
  code: string;
  until: Date;
  status: string;
  tier: string;
  billing: string;
}

const DAY = 86_400_000;
/** Slack after a paid period's end while the renewal's webhooks arrive. */
export const RENEWAL_SLACK_MS = DAY;

/**
 * The access rule, in one place:
 * - active / trialing (Stripe-billed): until the current period ends (+1 day of slack for the
 *   renewal to arrive). Cancelled at period end: the same, then Stripe ends it.
 * - past_due: a grace period of `graceDays` from the failed renewal, never beyond the period's
 *   end plus that grace. After it, no access, although Stripe may still be retrying.
 * - prepaid: from its start until its end date; no renewal.
 * - canceled, unpaid, incomplete, ended, paused: no access.
 * A tier grants each of its entitlements (print → print and digital).
 */
export function accessUntil(sub: Pick<Subscription, 'status' | 'billing' | 'currentPeriodStart' | 'currentPeriodEnd' | 'pastDueSince'>, graceDays: number): Date | null {
  const end = sub.currentPeriodEnd;
  if (!end) return null;
  if (sub.billing === 'prepaid') return sub.status === 'active' ? end : null;
  switch (sub.status) {
    case 'active':
    case 'trialing':
      return new Date(end.getTime() + RENEWAL_SLACK_MS);
    case 'past_due': {
      const since = sub.pastDueSince ?? sub.currentPeriodStart ?? end;
      return new Date(since.getTime() + graceDays * DAY);
    }
    default:
      return null;
  }
}

export function grantsAt(
  subs: Array<Pick<Subscription, 'status' | 'billing' | 'currentPeriodStart' | 'currentPeriodEnd' | 'pastDueSince' | 'tierCode'>>,
  tierEntitlements: Map<string, string[]>,
  at: Date,
  graceDays: number,
): EntitlementGrant[] {
  const best = new Map<string, EntitlementGrant>();
  for (const sub of subs) {
    if (!sub.tierCode) continue;
    if (sub.billing === 'prepaid' && sub.currentPeriodStart && sub.currentPeriodStart > at) continue;
    const until = accessUntil(sub, graceDays);
    if (!until || until <= at) continue;
    for (const code of tierEntitlements.get(sub.tierCode) ?? []) {
      const current = best.get(code);
      if (!current || current.until < until) best.set(code, { code, until, status: sub.status, tier: sub.tierCode, billing: sub.billing });
    }
  }
  return [...best.values()].sort((a, b) => a.code.localeCompare(b.code));
}
