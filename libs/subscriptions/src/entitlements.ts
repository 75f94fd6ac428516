import type { Subscription } from './subscription.entity';

export interface EntitlementGrant {
  code: string;
  until: Date;
  status: string;
  tier: string;
  billing: string;
}

const DAY = 86_400_000;
/** The `until` of a complimentary subscription without an end (the latest instant a Date holds); answered as `null`. */
export const OPEN_ENDED = new Date(8.64e15);
/** Slack after a paid period's end while the renewal's webhooks arrive. */
export const RENEWAL_SLACK_MS = DAY;

/**
 * The access rule, in one place:
 * - active / trialing (Stripe-billed): until the current period ends (+1 day of slack for the
 *   renewal to arrive). Cancelled at period end: the same, then Stripe ends it.
 * - past_due: a grace period of `graceDays` from the failed renewal, never beyond the period's
 *   end plus that grace. After it, no access, although Stripe may still be retrying.
 * - prepaid (online, or paid offline and recorded by staff): from its start until its end date;
 *   no automatic renewal (an offline renewal moves the end on; a period bought early starts at
 *   the current end, and the access runs on to its end without a gap).
 * - complimentary: from its start until its end date, or for good without one (OPEN_ENDED).
 * - canceled, unpaid, incomplete, ended, paused: no access.
 * A tier grants each of its entitlements (print → print and digital).
 */
export function accessUntil(
  sub: Pick<Subscription, 'status' | 'billing' | 'currentPeriodStart' | 'currentPeriodEnd' | 'pastDueSince'>,
  graceDays: number,
): Date | null {
  const end = sub.currentPeriodEnd;
  if (sub.billing === 'complimentary') return sub.status === 'active' ? (end ?? OPEN_ENDED) : null;
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
  subs: Array<
    Pick<Subscription, 'status' | 'billing' | 'currentPeriodStart' | 'currentPeriodEnd' | 'pastDueSince' | 'tierCode'>
  >,
  tierEntitlements: Map<string, string[]>,
  at: Date,
  graceDays: number,
): EntitlementGrant[] {
  const best = new Map<string, EntitlementGrant>();
  const later: typeof subs = [];
  for (const sub of subs) {
    if (!sub.tierCode) continue;
    if (sub.billing !== 'monthly' && sub.currentPeriodStart && sub.currentPeriodStart > at) {
      later.push(sub);
      continue;
    }
    const until = accessUntil(sub, graceDays);
    if (!until || until <= at) continue;
    for (const code of tierEntitlements.get(sub.tierCode) ?? []) {
      const current = best.get(code);
      if (!current || current.until < until) {
        best.set(code, { code, until, status: sub.status, tier: sub.tierCode, billing: sub.billing });
      }
    }
  }
  // A period bought ahead (an early renewal starts at the current end) carries the access on
  // without a gap: each later period that starts by the access's end moves it to its own end.
  later.sort((a, b) => a.currentPeriodStart!.getTime() - b.currentPeriodStart!.getTime());
  for (const sub of later) {
    const until = accessUntil(sub, graceDays);
    if (!until) continue;
    for (const code of tierEntitlements.get(sub.tierCode!) ?? []) {
      const current = best.get(code);
      if (current && sub.currentPeriodStart! <= current.until && current.until < until) {
        best.set(code, { ...current, until });
      }
    }
  }
  return [...best.values()].sort((a, b) => a.code.localeCompare(b.code));
}
