import { REFUND_REASONS } from '../api/refunds.routes';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { completeCheckoutPayment, declineCheckoutPayment } from '../flows/checkout-payment';
import { closeDispute, openDispute } from '../flows/disputes';
import { setCustomerCardsDecline } from '../flows/payment-methods';
import { createPayout } from '../flows/payouts';
import { createRefund, failRefund, REFUND_FAILURE_REASONS } from '../flows/refunds';
import { periodEndOf } from '../flows/subscriptions';
import type { ApiGateway } from '../http/api-gateway';
import { jsonResult } from '../http/http-result';
import type { PlainHandler } from '../http/plain-routes';
import { Router } from '../http/router';

/**
 * Test controls under `/_simulator` (JSON in and out, no API key): do what a customer, a card
 * network or time would do, and inspect or steer webhook delivery.
 */
export function createControlRouter(ctx: SimulatorContext, api: ApiGateway): Router<PlainHandler> {
  const router = new Router<PlainHandler>();
  router
    .get('/_simulator', () => jsonResult(200, { routes: CONTROL_ROUTES }))
    .post('/_simulator/checkout/sessions/:id/complete', ({ pathParams, body }) => {
      const payer = { email: body.string('email'), name: body.string('name') };
      body.end();
      return jsonResult(200, completeCheckoutPayment(ctx, pathParams.id, payer));
    })
    .post('/_simulator/checkout/sessions/:id/fail', ({ pathParams, body }) => {
      const payer = { email: body.string('email'), name: body.string('name') };
      body.end();
      return jsonResult(200, declineCheckoutPayment(ctx, pathParams.id, payer));
    })
    .post('/_simulator/charges/:id/refund', ({ pathParams, body }) => {
      const input = {
        charge: pathParams.id,
        amount: body.integer('amount', { min: 1 }),
        reason: body.oneOf('reason', REFUND_REASONS),
        metadata: body.stringMap('metadata'),
      };
      body.end();
      return jsonResult(200, createRefund(ctx, input));
    })
    .post('/_simulator/refunds/:id/fail', ({ pathParams, body }) => {
      const reason = body.oneOf('failure_reason', REFUND_FAILURE_REASONS);
      body.end();
      return jsonResult(200, failRefund(ctx, pathParams.id, reason));
    })
    .post('/_simulator/charges/:id/dispute', ({ pathParams, body }) => {
      const input = { amount: body.integer('amount', { min: 1 }), reason: body.string('reason') };
      body.end();
      return jsonResult(200, openDispute(ctx, pathParams.id, input));
    })
    .post('/_simulator/disputes/:id/close', ({ pathParams, body }) => {
      const status = body.requireOneOf('status', ['won', 'lost'] as const);
      body.end();
      return jsonResult(200, closeDispute(ctx, pathParams.id, status));
    })
    .post('/_simulator/payouts', ({ body }) => {
      const input = { currency: body.currency('currency'), all: body.boolean('all') };
      body.end();
      return jsonResult(200, createPayout(ctx, input));
    })
    .get('/_simulator/events', ({ query }) => {
      const type = query.get('type');
      const events = ctx.store.all('event').filter((e) => !type || e.type === type);
      return jsonResult(
        200,
        events.map((event) => ({ ...event, delivery: ctx.webhooks.delivery(event.id) })),
      );
    })
    .post('/_simulator/events/:id/resend', async ({ pathParams }) => {
      const event = ctx.store.require('event', pathParams.id);
      if (!ctx.webhooks.describe().url) {
        throw invalidRequest('No webhook URL is configured (POST /_simulator/webhooks { url, secret }).');
      }
      return jsonResult(200, await ctx.webhooks.resend(event.id));
    })
    .post('/_simulator/webhooks', ({ body }) => {
      const patch = { url: body.string('url'), secret: body.string('secret'), enabled: body.boolean('enabled') };
      body.end();
      try {
        ctx.webhooks.configure(patch);
      } catch (err) {
        throw invalidRequest((err as Error).message);
      }
      return jsonResult(200, ctx.webhooks.describe());
    })
    .get('/_simulator/webhooks', () => jsonResult(200, ctx.webhooks.describe()))
    .post('/_simulator/flush', async ({ body, query }) => {
      const fastForward = body.boolean('fast_forward') ?? query.get('fast_forward') === 'true';
      body.end();
      await ctx.scheduler.flush(fastForward);
      return jsonResult(200, { idle: true });
    })
    .post('/_simulator/outage', ({ body }) => {
      const requests = body.requireInteger('requests', { min: 0 });
      body.end();
      api.simulateOutage(requests);
      return jsonResult(200, { remaining: api.outage });
    })
    .post('/_simulator/customers/:id/card', ({ pathParams, body }) => {
      const fail = body.boolean('fail');
      if (fail === undefined) {
        throw invalidRequest('Missing required param: fail.', { code: 'parameter_missing', param: 'fail' });
      }
      body.end();
      const cards = setCustomerCardsDecline(ctx, pathParams.id, fail);
      return jsonResult(200, { customer: pathParams.id, fail, payment_methods: cards.map((pm) => pm.id) });
    })
    .post('/_simulator/subscriptions/:id/renew', ({ pathParams, body }) => {
      body.end();
      const sub = ctx.store.require('subscription', pathParams.id);
      if (sub.status === 'canceled') throw invalidRequest(`Subscription ${sub.id} is canceled; it does not renew.`);
      // Renewing "now" = simulated time jumps to the period end (everything due by then happens too).
      const end = periodEndOf(sub);
      ctx.clock.advance(Math.max(0, end - ctx.clock.now()));
      return jsonResult(200, {
        now: ctx.clock.now(),
        offset: ctx.clock.offset,
        subscription: ctx.store.require('subscription', sub.id),
      });
    })
    .get('/_simulator/clock', () => jsonResult(200, { now: ctx.clock.now(), offset: ctx.clock.offset }))
    .post('/_simulator/clock/advance', ({ body }) => {
      const seconds = body.requireInteger('seconds', { min: 0 });
      body.end();
      ctx.clock.advance(seconds);
      return jsonResult(200, { now: ctx.clock.now(), offset: ctx.clock.offset });
    });
  return router;
}

const CONTROL_ROUTES = [
  'POST /_simulator/checkout/sessions/:id/complete { email?, name? }  pay like a successful card',
  'POST /_simulator/checkout/sessions/:id/fail { email?, name? }      a card decline',
  'POST /_simulator/charges/:id/refund { amount?, reason? }            same as POST /v1/refunds',
  'POST /_simulator/refunds/:id/fail { failure_reason? }              the refund fails after succeeding (refund_failure, refund.failed)',
  'POST /_simulator/charges/:id/dispute { amount?, reason? }           open a dispute',
  'POST /_simulator/disputes/:id/close { status: won|lost }            decide a dispute',
  'POST /_simulator/payouts { currency?, all? }                        pay out the available balance now (all: pending funds too)',
  'GET  /_simulator/events?type=                                        every event with its delivery, oldest first',
  'POST /_simulator/events/:id/resend                                   deliver again now',
  'GET|POST /_simulator/webhooks { url?, secret?, enabled? }            webhook endpoint',
  'POST /_simulator/flush { fast_forward? }                             wait for pending steps and deliveries',
  'POST /_simulator/outage { requests }                                 the next N API requests answer 500',
  'GET  /_simulator/clock, POST /_simulator/clock/advance { seconds }   simulated time: expiries, renewals, payment retries',
  "POST /_simulator/customers/:id/card { fail: boolean }                the customer's cards decline (or work again) from now on",
  'POST /_simulator/subscriptions/:id/renew                             jump the clock to the period end: renew (or end) now',
];
