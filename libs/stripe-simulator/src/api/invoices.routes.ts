import type { SimulatorContext } from '../core/context';
import type { StripeObject } from '../core/types';
import { payInvoice } from '../flows/invoices';
import type { ApiGateway } from '../http/api-gateway';
import { paginate } from '../http/list';
import { listObjects, matchesIfGiven } from './list-objects';

const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

/** Invoices (made by subscriptions) and their payments. */
export function registerInvoiceRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  const paymentsOf = (invoiceId: string) => ctx.store.newestFirst('invoice_payment', (p) => p.invoice === invoiceId);

  api.router
    .get('/v1/invoices/:id', ({ pathParams }) => ctx.store.require('invoice', pathParams.id))
    .get('/v1/invoices', ({ params }) => {
      const customer = params.string('customer');
      const subscription = params.string('subscription');
      const status = params.oneOf('status', STATUSES);
      const collectionMethod = params.oneOf('collection_method', ['charge_automatically', 'send_invoice'] as const);
      return listObjects(
        ctx,
        'invoice',
        params,
        '/v1/invoices',
        (inv) =>
          matchesIfGiven(customer, inv.customer) &&
          matchesIfGiven(subscription, inv.parent?.subscription_details?.subscription) &&
          matchesIfGiven(status, inv.status) &&
          matchesIfGiven(collectionMethod, inv.collection_method),
      );
    })
    .get('/v1/invoices/:id/lines', ({ pathParams, params }) => {
      const invoice = ctx.store.require('invoice', pathParams.id);
      return paginate(invoice.lines.data, params, `/v1/invoices/${invoice.id}/lines`);
    })
    .post('/v1/invoices/:id/pay', ({ pathParams, params, origin }) => {
      const input = {
        paymentMethod: params.string('payment_method'),
        paidOutOfBand: params.boolean('paid_out_of_band'),
      };
      // Accepted; the simulated card needs no customer present either way.
      params.boolean('off_session');
      params.end();
      return payInvoice(ctx, pathParams.id, input, origin);
    })
    .get('/v1/invoice_payments/:id', ({ pathParams }) => ctx.store.require('invoice_payment', pathParams.id))
    .get('/v1/invoice_payments', ({ params }) => {
      const invoice = params.string('invoice');
      const status = params.oneOf('status', ['canceled', 'open', 'paid'] as const);
      const payment = params.object('payment');
      const paymentIntent = payment?.string('payment_intent');
      payment?.requireOneOf('type', ['payment_intent', 'payment_record'] as const);
      return listObjects(
        ctx,
        'invoice_payment',
        params,
        '/v1/invoice_payments',
        (p) =>
          matchesIfGiven(invoice, p.invoice) &&
          matchesIfGiven(status, p.status) &&
          matchesIfGiven(paymentIntent, p.payment.payment_intent),
      );
    });

  // `payments` is not a stored field of an invoice: it exists when expanded.
  api.expander.registerVirtual('invoice', 'payments', (invoice: StripeObject) => ({
    object: 'list',
    data: paymentsOf(invoice.id),
    has_more: false,
    url: `/v1/invoice_payments?invoice=${invoice.id}`,
  }));
}
