import type { SimulatorContext } from '../core/context';
import type { ApiGateway } from '../http/api-gateway';
import { buildPrice, buildProduct } from '../objects/catalog';
import { listObjects, matchesIfGiven } from './list-objects';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** Products and prices, for line items given by `price` (and, later, subscriptions). */
export function registerCatalogRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .post('/v1/products', ({ params }) => {
      const input = {
        name: params.requireString('name'),
        description: params.string('description'),
        metadata: params.stringMap('metadata'),
        active: params.boolean('active'),
      };
      params.end();
      return ctx.store.insert('product', buildProduct(ctx, input));
    })
    .get('/v1/products/:id', ({ pathParams }) => ctx.store.require('product', pathParams.id))
    .get('/v1/products', ({ params }) => {
      const active = params.boolean('active');
      return listObjects(ctx, 'product', params, '/v1/products', (p) => matchesIfGiven(active, p.active));
    })
    .post('/v1/prices', ({ params }) => {
      const productData = params.object('product_data');
      const existingProduct = productData ? undefined : ctx.store.require('product', params.requireString('product'), 'product');
      const newProduct = productData && { name: productData.requireString('name'), metadata: productData.stringMap('metadata') };
      const recurring = params.object('recurring');
      const input = {
        currency: params.requireCurrency('currency'),
        unitAmount: params.requireInteger('unit_amount', { min: 0 }),
        recurring: recurring && { interval: recurring.requireOneOf('interval', INTERVALS), intervalCount: recurring.integer('interval_count', { min: 1 }) ?? 1 },
        active: params.boolean('active'),
        metadata: params.stringMap('metadata'),
        nickname: params.string('nickname'),
        lookupKey: params.string('lookup_key'),
      };
      params.end();
      const product = existingProduct ?? ctx.store.insert('product', buildProduct(ctx, newProduct!));
      return ctx.store.insert('price', buildPrice(ctx, { ...input, product: product.id }));
    })
    .get('/v1/prices/:id', ({ pathParams }) => ctx.store.require('price', pathParams.id))
    .get('/v1/prices', ({ params }) => {
      const product = params.string('product');
      const active = params.boolean('active');
      return listObjects(ctx, 'price', params, '/v1/prices', (p) => matchesIfGiven(product, p.product) && matchesIfGiven(active, p.active));
    });
}
