import type { SimulatorConfig } from '../config';
import type { EventBus } from '../events/event-bus';
import type { WebhookDispatcher } from '../events/webhook-dispatcher';
import type { Clock } from './clock';
import type { Scheduler } from './scheduler';
import type { Store } from './store';

/** Everything a route or a flow needs; one per running simulator. */
export interface SimulatorContext {
  readonly config: SimulatorConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly events: EventBus;
  readonly webhooks: WebhookDispatcher;
  readonly log: (msg: string) => void;
  /** Something may have changed (a write request, an alarm, a task): saved soon if there is a state file. */
  readonly changed: () => void;
}
