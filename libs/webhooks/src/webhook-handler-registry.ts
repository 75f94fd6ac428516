import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { type StripeWebhookHandler } from './webhook-handler';

/** The handlers each feature registers, by the event types they take. */
@Injectable()
export class WebhookHandlerRegistry {
  private readonly byType = new Map<string, StripeWebhookHandler[]>();

  register(handler: StripeWebhookHandler): void {
    for (const type of handler.eventTypes) this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
  }

  /** The handlers of an event type, in registration order (none: the event is only stored). */
  handlersOf(type: string): readonly StripeWebhookHandler[] {
    return this.byType.get(type) ?? [];
  }

  handles(type: string): boolean {
    return this.byType.has(type);
  }

  /** The event types some handler processes. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** The event's ordering key: the first its handlers give (they agree where several take a type); null: none. */
  orderingKey(event: Stripe.Event): string | null {
    for (const handler of this.byType.get(event.type) ?? []) {
      const key = handler.orderingKey?.(event) ?? null;
      if (key !== null) return key;
    }
    return null;
  }
}
