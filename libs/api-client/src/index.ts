import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** The API's JSON shapes by DTO name (`ApiSchemas['CampaignProgressDto']`, …). */
export type ApiSchemas = components['schemas'];

/** A client whose paths, parameters, bodies and answers are typed from openapi.json. */
export type ApiClient = Client<paths>;

/**
 * A typed client of the API (openapi-fetch over `fetch`), for the staff console and tests:
 * `const { data, error } = await api.GET('/api/campaigns/{slug}/progress', { params: { path: { slug } } })`.
 * Staff calls pass `headers: { authorization: \`Bearer ${token}\` }` here or per call.
 */
export function createApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}): ApiClient {
  return createClient<paths>({ ...options, baseUrl: baseUrl.replace(/\/$/, '') });
}
