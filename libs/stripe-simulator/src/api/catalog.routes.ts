import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import type { ApiGateway } from '../http/api-gateway';
import { buildPrice, buildProduct, isInlinePrice } from '../objects/catalog';
import { planOf } from '../objects/subscription';
import { listObjects, matchesIfGiven } from './list-objects';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
const MAX_LOOKUP_KEYS = 10;

/** Products and prices, for line items given by `price` and for subscriptions. */
export function registerCatalogRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  /**
   * A lookup key names one price at a time: taking it from another price needs
   * `transfer_lookup_key`, which removes it there.
   */
  const claimLookupKey = (lookupKey: string | undefined, transfer: boolean | undefined, exceptPriceId?: string) => {
    if (!lookupKey) return;
    const holder = ctx.store.all('price').find((p) => p.lookup_key === lookupKey && p.id !== exceptPriceId);
    if (!holder) return;
    if (!transfer) {
      throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, { param: 'lookup_key' });
    }
    holder.lookup_key = null;
  };

  api.router
    .post('/v1/products', ({ params }) => {
      const input = {
        id: params.string('id'),
        name: params.requireString('name'),
        description: params.string('description'),
        metadata: params.stringMap('metadata'),
        active: params.boolean('active'),
      };
      params.end();
      // Stripe lets the caller choose a product's id (unique in the account).
      if (input.id !== undefined && ctx.store.getAny(input.id)) {
        throw invalidRequest('Product already exists.', { code: 'resource_already_exists', param: 'id' });
      }
      return ctx.store.insert('product', buildProduct(ctx, input));
    })
    .get('/v1/products/:id', ({ pathParams }) => ctx.store.require('product', pathParams.id))
    .post('/v1/products/:id', ({ pathParams, params }) => {
      const product = ctx.store.require('product', pathParams.id);
      const name = params.string('name');
      const description = params.keys().includes('description') ? (params.string('description') ?? null) : undefined;
      const active = params.boolean('active');
      const metadata = params.metadataUpdate('metadata');
      params.end();
      if (name !== undefined) product.name = name;
      if (description !== undefined) product.description = description;
      if (active !== undefined) product.active = active;
      if (metadata !== undefined) product.metadata = mergeMetadata(product.metadata, metadata);
      product.updated = ctx.clock.now();
      return product;
    })
    .get('/v1/products', ({ params }) => {
      const active = params.boolean('active');
      return listObjects(ctx, 'product', params, '/v1/products', (p) => matchesIfGiven(active, p.active));
    })
    .post('/v1/prices', ({ params }) => {
      const productData = params.object('product_data');
      const existingProduct = productData
        ? undefined
        : ctx.store.require('product', params.requireString('product'), 'product');
      const newProduct = productData && {
        name: productData.requireString('name'),
        metadata: productData.stringMap('metadata'),
      };
      const recurring = params.object('recurring');
      const input = {
        currency: params.requireCurrency('currency'),
        unitAmount: params.requireInteger('unit_amount', { min: 0 }),
        recurring: recurring && {
          interval: recurring.requireOneOf('interval', INTERVALS),
          intervalCount: recurring.integer('interval_count', { min: 1 }) ?? 1,
        },
        active: params.boolean('active'),
        metadata: params.stringMap('metadata'),
        nickname: params.string('nickname'),
        lookupKey: params.string('lookup_key'),
      };
      const transfer = params.boolean('transfer_lookup_key');
      params.end();
      claimLookupKey(input.lookupKey, transfer);
      const product = existingProduct ?? ctx.store.insert('product', buildProduct(ctx, newProduct!));
      return ctx.store.insert('price', buildPrice(ctx, { ...input, product: product.id }));
    })
    .get('/v1/prices/:id', ({ pathParams }) => ctx.store.require('price', pathParams.id))
    .post('/v1/prices/:id', ({ pathParams, params }) => {
      const price = ctx.store.require('price', pathParams.id);
      const active = params.boolean('active');
      const nickname = params.keys().includes('nickname') ? (params.string('nickname') ?? null) : undefined;
      const lookupKey = params.keys().includes('lookup_key') ? (params.string('lookup_key') ?? null) : undefined;
      const transfer = params.boolean('transfer_lookup_key');
      const metadata = params.metadataUpdate('metadata');
      params.end();
      if (lookupKey) claimLookupKey(lookupKey, transfer, price.id);
      if (active !== undefined) price.active = active;
      if (nickname !== undefined) price.nickname = nickname;
      if (lookupKey !== undefined) price.lookup_key = lookupKey;
      if (metadata !== undefined) price.metadata = mergeMetadata(price.metadata, metadata);
      // Subscription items show the price as it is now.
      for (const item of ctx.store.all('subscription_item')) {
        if (item.price.id !== price.id) continue;
        item.price = structuredClone(price);
        item.plan = planOf(price);
      }
      return price;
    })
    .get('/v1/prices', ({ params }) => {
      const product = params.string('product');
      const active = params.boolean('active');
      const type = params.oneOf('type', ['one_time', 'recurring'] as const);
      const currency = params.currency('currency');
      const lookupKeys = params.stringList('lookup_keys');
      if (lookupKeys && lookupKeys.length > MAX_LOOKUP_KEYS) {
        throw invalidRequest(`You may pass at most ${MAX_LOOKUP_KEYS} lookup keys.`, { param: 'lookup_keys' });
      }
      const recurring = params.object('recurring');
      const interval = recurring?.oneOf('interval', INTERVALS);
      return listObjects(
        ctx,
        'price',
        params,
        '/v1/prices',
        (p) =>
          // Stripe lists catalogue prices only: inline prices (`price_data`) are never listed.
          !isInlinePrice(ctx, p.id) &&
          matchesIfGiven(product, p.product) &&
          matchesIfGiven(active, p.active) &&
          matchesIfGiven(type, p.type) &&
          matchesIfGiven(currency, p.currency) &&
          matchesIfGiven(interval, p.recurring?.interval) &&
          (!lookupKeys || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))),
      );
    });
}

function mergeMetadata(
  current: Record<string, string>,
  update: Record<string, string | null> | null,
): Record<string, string> {
  if (update === null) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}
