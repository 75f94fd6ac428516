/**
 * The page routes that take an HTML form body (`application/x-www-form-urlencoded` only): every
 * other route speaks JSON and answers a form 415 (`requestShapeHook`). Each of these routes checks
 * the reader CSRF token (`ReaderCsrf`) itself, except the fresh-link form, which can only make us
 * email a link to the address we hold for a link the poster already has. The emailed portal link's
 * page posts to `/api/self-service/portal` (its token and CSRF token in the form).
 */
const FORM_ROUTES: RegExp[] = [
  /^\/self-service\/new-link$/,
  /^\/api\/self-service\/portal$/,
  /^\/give(\/[a-z0-9-]+)?$/,
  /^\/subscribe$/,
  /^\/account(\/[A-Za-z0-9/_-]*)?$/,
];

/** Whether `POST url` is a page route that takes a urlencoded form (the query string is ignored). */
export function takesForm(method: string, url: string): boolean {
  if (method !== 'POST') return false;
  const path = url.split('?')[0];
  return FORM_ROUTES.some((r) => r.test(path));
}
