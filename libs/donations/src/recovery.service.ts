import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { rowsOf } from '@app/database';
import { StripeGateway } from '@app/stripe';
import { WebhookInboxService } from '@app/webhooks';
import { CheckoutsRepository } from './checkouts.repository';

/** How far back the first run reads Stripe's events; later runs start where the last one ended. */
const FIRST_LOOKBACK_S = 72 * 3600;
/** Each run re-reads this much before where the last ended (events near the edge). */
const OVERLAP_S = 600;
/** Open checkouts looked at per run. */
const CHECKOUT_BATCH = 100;

export interface RecoveryResult {
  listed: number;
  adopted: number;
  checkoutsChecked: number;
  checkoutsExpired: number;
  checkoutsCompleted: number;
}

/**
 * Missed-webhook recovery, every WEBHOOK_RECOVERY_INTERVAL_MS in one instance at a time:
 *
 * 1. Reads Stripe's event list (the types some handler processes) since the last run and stores
 *    any event the inbox never received; the worker then processes it like a delivered one.
 * 2. Looks at checkouts still open after CHECKOUT_ABANDONED_HOURS: one Stripe says is paid is
 *    processed as if its `checkout.session.completed` had arrived; one still open is expired on
 *    Stripe (nobody can pay it any more) and, like one Stripe already expired, marked expired.
 */
@Injectable()
export class RecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Recovery');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeGateway,
    private readonly inbox: WebhookInboxService,
    private readonly checkouts: CheckoutsRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.WEBHOOK_RECOVERY_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.runIfDue(every)
        .catch((err) => this.log.error(`recovery failed: ${err instanceof Error ? err.message : err}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs unless another instance ran within the interval (a lease on the checkpoint row). */
  private async runIfDue(intervalMs: number): Promise<RecoveryResult | null> {
    await this.ensureCheckpoint();
    const won = rowsOf(
      await this.db.query(
        `UPDATE webhook_recovery SET ran_at = now() WHERE ran_at < now() - make_interval(secs => $1) RETURNING 1`,
        [intervalMs / 2000],
      ),
    );
    return won.length ? this.run() : null;
  }

  private async ensureCheckpoint(): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_recovery (id, listed_until, ran_at) VALUES (true, now() - make_interval(secs => $1), '-infinity') ON CONFLICT (id) DO NOTHING`,
      [FIRST_LOOKBACK_S],
    );
  }

  /** One recovery pass, now. */
  async run(): Promise<RecoveryResult> {
    await this.ensureCheckpoint();
    const result: RecoveryResult = {
      listed: 0,
      adopted: 0,
      checkoutsChecked: 0,
      checkoutsExpired: 0,
      checkoutsCompleted: 0,
    };

    const [{ since }] = await this.db.query(
      `SELECT EXTRACT(epoch FROM listed_until)::bigint AS since FROM webhook_recovery`,
    );
    const startedAt = Math.floor(Date.now() / 1000);
    // Stripe filters by at most 20 types per list call.
    const types = this.inbox.handledTypes();
    const events: Stripe.Event[] = [];
    for (let i = 0; i < types.length; i += 20) {
      events.push(...(await this.stripe.listEventsSince(Number(since) - OVERLAP_S, types.slice(i, i + 20))));
    }
    result.listed = events.length;
    for (const event of events) if (await this.inbox.adopt(event)) result.adopted++;
    const newest = events.reduce((max, e) => Math.max(max, e.created), Number(since));
    await this.db.query(`UPDATE webhook_recovery SET listed_until = to_timestamp($1)`, [
      Math.min(startedAt, newest + 1),
    ]);

    const cutoff = new Date(Date.now() - this.config.CHECKOUT_ABANDONED_HOURS * 3600_000);
    const open = await this.checkouts.findOpenSince(cutoff, CHECKOUT_BATCH);
    for (const checkout of open) {
      if (!checkout.stripeSessionId) continue;
      result.checkoutsChecked++;
      let session = await this.stripe.retrieveCheckoutSession(checkout.stripeSessionId);
      if (session.status === 'complete') {
        if (await this.inbox.adopt(recoveredCompletion(session))) result.checkoutsCompleted++;
        continue;
      }
      if (session.status === 'open') session = await this.stripe.expireCheckoutSession(session.id);
      if (session.status === 'expired' && (await this.checkouts.expireIfOpen(checkout.id))) result.checkoutsExpired++;
    }
    if (result.adopted || result.checkoutsExpired || result.checkoutsCompleted) {
      this.log.warn({ msg: 'recovered what webhooks missed', ...result });
    }
    return result;
  }
}

/** The `checkout.session.completed` Stripe would have sent, for a paid session whose event is gone. */
function recoveredCompletion(session: Stripe.Checkout.Session): Stripe.CheckoutSessionCompletedEvent {
  return {
    id: `evt_recovered_${session.id}`,
    object: 'event',
    api_version: null,
    created: Math.floor(Date.now() / 1000),
    data: { object: session },
    livemode: session.livemode,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
  };
}
