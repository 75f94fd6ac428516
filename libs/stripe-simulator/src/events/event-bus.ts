import Stripe from 'stripe';
import type { Clock } from '../core/clock';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';
import type { Store } from '../core/store';
import { NO_REQUEST, type RequestOrigin, type SimulatorEvent, type StripeObject } from '../core/types';
import type { WebhookDispatcher } from './webhook-dispatcher';

export interface EmitOptions {
  /** The fields that changed, with their values before the change (`*.updated` events). */
  previousAttributes?: Record<string, unknown>;
  /** The API request that caused the event; none for the simulator's own steps. */
  request?: RequestOrigin;
}

/**
 * Records events (a snapshot of the object at that moment, as Stripe's `data.object` is) and
 * hands them to the webhook dispatcher.
 */
export class EventBus {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  emit(type: string, object: StripeObject, opts: EmitOptions = {}): SimulatorEvent {
    const event = fixture<SimulatorEvent>('event');
    event.id = newId('evt');
    event.api_version = Stripe.API_VERSION;
    event.created = this.clock.now();
    event.data = { object: structuredClone(object) };
    if (opts.previousAttributes) event.data.previous_attributes = structuredClone(opts.previousAttributes);
    event.livemode = false;
    event.pending_webhooks = this.dispatcher.active ? 1 : 0;
    event.request = { ...(opts.request ?? NO_REQUEST) };
    event.type = type;
    this.store.insert('event', event);
    this.dispatcher.enqueue(event);
    return event;
  }
}
