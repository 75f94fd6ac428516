import type { Organisation } from '@app/config';
import { READER_CSS_PATH, READER_JS_PATH } from './assets';
import { escapeHtml } from './html';

export interface ReaderPageOptions {
  title: string;
  /** The page's main content: trusted HTML (escape every value put into it with `escapeHtml`). */
  body: string;
  /** Load the reader script (progressive enhancement; every page works without it). */
  script?: boolean;
  /** Extra <head> content (e.g. a <meta name="robots">). */
  head?: string;
}

/**
 * The shell of every reader page (donate, subscribe, thank-you, account): the organisation's
 * name or logo linking back to its site, its accent colour, one stylesheet and (optionally) one
 * script, both files (the CSP allows no inline script), and a footer with the organisation's
 * details. Mobile first: readable at 375 pixels wide.
 */
export function readerPage(org: Organisation, opts: ReaderPageOptions): string {
  const name = escapeHtml(org.name);
  const brand = org.logoUrl ? `<img src="${escapeHtml(org.logoUrl)}" alt="${name}" class="logo">` : name;
  const footer = [org.name, org.abn ? `ABN ${org.abn}` : null, org.postalAddress]
    .filter(Boolean)
    .map((s) => escapeHtml(s!));
  return `<!doctype html>
<html lang="en-AU"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${escapeHtml(opts.title)} · ${name}</title>
<link rel="stylesheet" href="${READER_CSS_PATH}">
<style>:root{--accent:${org.accentColour}}</style>${opts.head ?? ''}
${opts.script ? `<script src="${READER_JS_PATH}" defer></script>` : ''}
</head><body>
<header class="site"><a class="brand" href="${escapeHtml(org.siteUrl)}">${brand}</a></header>
<main id="main">${opts.body}</main>
<footer class="site"><p>${footer.join(' · ')}</p></footer>
</body></html>`;
}
