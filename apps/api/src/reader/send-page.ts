import type { FastifyReply } from 'fastify';
import type { AppConfig } from '@app/config';

/**
 * The reader pages' Content-Security-Policy: the service's own (scripts and styles from files,
 * no inline script), plus the organisation's logo host for images, and, for forms that answer
 * with a redirect to Stripe Checkout, Checkout's origin in `form-action` (browsers apply
 * `form-action` to the redirect after a form post too).
 */
export function readerCsp(config: AppConfig): string {
  const img = [`'self'`, 'data:'];
  if (config.ORG_LOGO_URL) img.push(new URL(config.ORG_LOGO_URL).origin);
  // A live or test key without STRIPE_API_URL: Stripe's Checkout and customer portal (a form may
  // answer with a redirect to either). A simulator (in-process on any port, or at
  // STRIPE_API_URL): its own pages, on whatever port it has.
  const checkout =
    config.STRIPE_SECRET_KEY && !config.STRIPE_API_URL
      ? ['https://checkout.stripe.com', 'https://billing.stripe.com']
      : ['http:', 'https:'];
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src ${img.join(' ')}`,
    `connect-src 'self'`,
    `form-action 'self' ${checkout.join(' ')}`,
    `base-uri 'self'`,
    `object-src 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** Sends a reader page: HTML, never cached (it carries a CSRF token or a reader's purchase), with the reader CSP. */
export function sendPage(reply: FastifyReply, config: AppConfig, status: number, html: string): void {
  // helmet wrote its default policy on the raw response; this page's replaces it.
  reply.raw.removeHeader('content-security-policy');
  void reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', readerCsp(config))
    .send(html);
}

/** 303 See Other: after a form post, the browser GETs the new location (Stripe Checkout). */
export function seeOther(reply: FastifyReply, location: string): void {
  void reply.code(303).header('location', location).header('cache-control', 'no-store').send();
}
