/**
 * The pages a reader sees around an emailed self-service link. Plain HTML: no script and no
 * inline style (the CSP allows neither), a form that works without JavaScript.
 */

import type { Organisation } from '@app/config';
import { readerPage } from '../reader/layout';

/** Where the "email me a new link" form posts (`application/x-www-form-urlencoded`, field `token`). */
export const FRESH_LINK_PATH = '/self-service/new-link';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escape(title)}</title></head>
<body><main>${body}</main></body></html>`;

/** A link followed a second time, or too late: says so, and offers a fresh one by email. */
export function spentLinkPage(reason: 'used' | 'expired', token: string): string {
  const what = reason === 'used' ? 'This link has already been used' : 'This link has expired';
  const why =
    reason === 'used'
      ? 'For your security, each link to manage your support works only once.'
      : 'For your security, links to manage your support work only for a short time.';
  return page(
    what,
    `<h1>${what}</h1><p>${why}</p>
<form method="post" action="${FRESH_LINK_PATH}">
<input type="hidden" name="token" value="${escape(token)}">
<button type="submit">Email me a new link</button>
</form>
<p>We send it to the email address we hold for you.</p>`,
  );
}

/** After the form: the same answer whatever the link was (nothing to learn from it). */
export function freshLinkSentPage(): string {
  return page(
    'Check your email',
    '<h1>Check your email</h1><p>If this link was ours, a new one is on its way to the email address we hold for you. It works once, for a short time.</p>',
  );
}

/** Where a reader asks for a link with their email address (the reader account's sign-in). */
export const ASK_WITH_EMAIL_PATH = '/account';

/** After the form, for a link we cannot check (not ours, cut short, or too old): nothing was sent. */
export function uncheckableLinkPage(): string {
  return page(
    'We could not send a new link',
    `<h1>We could not send a new link</h1><p>This link could not be checked: it may have been copied incompletely, or it is too old. No email was sent.</p>
<p><a href="${ASK_WITH_EMAIL_PATH}">Ask for a new link with your email address</a>.</p>`,
  );
}

/** Where the portal link's page posts (the same path as the link; `token` and `_csrf` in the body). */
export const PORTAL_LINK_PATH = '/api/self-service/portal';

/**
 * What following an emailed portal link shows: a button that posts the link's token. Only the
 * post uses the link (it works once), so a mail scanner fetching the link first spends nothing.
 * In the reader pages' layout, with their CSP; no script.
 */
export function continueToPortalPage(org: Organisation, token: string, csrf: string, retry = false): string {
  const again = retry
    ? '<div class="errors" role="alert"><p class="error">This page was open too long, or your browser did not keep our cookie. Press the button again.</p></div>'
    : '';
  return readerPage(org, {
    title: 'Manage your support',
    head: '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">',
    body: `<h1>Manage your support</h1>
<p>Change your card, see your invoices or cancel, on our payment provider's secure page.</p>
${again}<form method="post" action="${PORTAL_LINK_PATH}">
<input type="hidden" name="_csrf" value="${escape(csrf)}">
<input type="hidden" name="token" value="${escape(token)}">
<p><button type="submit">Continue to your billing portal</button></p>
</form>
<p>This link works once, for a short time.</p>`,
  });
}
