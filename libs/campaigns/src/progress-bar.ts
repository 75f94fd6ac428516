import { formatMoney } from '@app/common';
import { type CampaignProgressDto } from './campaign-progress.dto';

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "$123,456" for whole amounts, "$123,456.50" otherwise. */
function money(amount: number, currency: string): string {
  return formatMoney({ amount, currency }).replace(/\.0+$/, '');
}

/**
 * The sentence a screen reader (and anyone without the picture) gets: "$123,456 raised of $250,000".
 * The one place it is worded: the HTML, the SVG and the progress JSON's `sentence` (which the live
 * script shows) all come from here.
 */
export function progressSentence(p: Pick<CampaignProgressDto, 'raised' | 'target' | 'currency'>): string {
  return `${money(p.raised, p.currency)} raised of ${money(p.target, p.currency)}`;
}

function supportersText(p: CampaignProgressDto): string {
  return `${p.supporters.toLocaleString('en-AU')} ${p.supporters === 1 ? 'supporter' : 'supporters'}`;
}

/** Width of the filled part in tenths of a percent, capped at the full bar (integers only). */
function filledPermille(p: CampaignProgressDto): number {
  if (p.target <= 0 || p.raised <= 0) return 0;
  return Number((BigInt(Math.min(p.raised, p.target)) * 1000n) / BigInt(p.target));
}

/** A standalone SVG image of the bar with its text, titled for assistive technology. */
export function progressSvg(p: CampaignProgressDto): string {
  const sentence = progressSentence(p);
  const width = 400;
  const filled = Math.round((filledPermille(p) * width) / 1000);
  const title = escapeXml(p.title);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="64" viewBox="0 0 ${width} 64" role="img" aria-labelledby="t d">
<title id="t">${title}</title>
<desc id="d">${escapeXml(`${sentence} (${p.percent}%), ${supportersText(p)}`)}</desc>
<rect x="0" y="0" width="${width}" height="20" rx="10" fill="#e5e7eb"/>
<rect x="0" y="0" width="${filled}" height="20" rx="10" fill="#0f766e"/>
<text x="0" y="42" font-family="system-ui, sans-serif" font-size="15" fill="#111827">${escapeXml(sentence)}</text>
<text x="0" y="60" font-family="system-ui, sans-serif" font-size="12" fill="#4b5563">${escapeXml(`${p.percent}% · ${supportersText(p)}`)}</text>
</svg>
`;
}

/**
 * The embeddable bar: a small HTML page for an iframe. Readable without JavaScript (the text is
 * in the page, the bar is a native <progress> element with its value); it reloads itself every
 * minute, and with JavaScript it follows the live stream instead.
 */
export function progressHtml(
  p: CampaignProgressDto,
  slug: string,
  streamPath: string,
  scriptPath: string,
  /** The Donate button: the donate page (opened in the top window, not the frame) and its colour. */
  donate?: { href: string; colour: string },
): string {
  const sentence = progressSentence(p);
  const max = Math.max(p.target, 1);
  const value = Math.max(Math.min(p.raised, max), 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${escapeXml(p.title)}: ${escapeXml(sentence)}</title>
<style>
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; color: #111827; background: transparent; }
  .bar { display: block; width: 100%; height: 20px; appearance: none; border: 0; border-radius: 10px; background: #e5e7eb; overflow: hidden; }
  .bar::-webkit-progress-bar { background: #e5e7eb; border-radius: 10px; }
  .bar::-webkit-progress-value { background: #0f766e; border-radius: 10px; }
  .bar::-moz-progress-bar { background: #0f766e; border-radius: 10px; }
  .raised { margin: 6px 0 0; font-weight: 600; }
  .meta { margin: 0; color: #4b5563; font-size: 13px; }
  .donate { display: inline-block; margin-top: 8px; padding: 8px 20px; border-radius: 8px; color: #fff; font-weight: 700; text-decoration: none; }
  .donate:focus-visible { outline: 3px solid #111827; outline-offset: 2px; }
</style>
</head>
<body>
<div class="progress" data-slug="${escapeXml(slug)}" data-stream="${escapeXml(streamPath)}">
  <h1 class="meta">${escapeXml(p.title)}</h1>
  <progress class="bar" max="${max}" value="${value}" aria-label="${escapeXml(sentence)}">${escapeXml(`${p.percent}%`)}</progress>
  <p class="raised" aria-live="polite">${escapeXml(sentence)}</p>
  <p class="meta"><span class="percent">${p.percent}%</span> · <span class="supporters">${escapeXml(supportersText(p))}</span></p>
${donate ? `  <a class="donate" href="${escapeXml(donate.href)}" target="_top" style="background:${escapeXml(donate.colour)}">Donate</a>\n` : ''}</div>
<script src="${escapeXml(scriptPath)}" defer></script>
</body>
</html>
`;
}

/**
 * Progressive enhancement for the embedded page: follow the server-sent events and update the
 * text and the bar in place (no reload). Served as a file so the page needs no inline script.
 * The money text is the server's (`sentence` in the progress JSON), never formatted here, so the
 * live text is the text of a fresh load. `String.raw`: a backslash here reaches the browser as written.
 */
export const PROGRESS_SCRIPT = String.raw`(function () {
  var root = document.querySelector('.progress');
  if (!root || !window.EventSource) return;
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  if (meta) meta.parentNode.removeChild(meta);
  var source = new EventSource(root.getAttribute('data-stream'));
  source.addEventListener('progress', function (e) {
    var p = JSON.parse(e.data);
    var bar = root.querySelector('.bar');
    bar.max = Math.max(p.target, 1);
    bar.value = Math.max(Math.min(p.raised, bar.max), 0);
    bar.textContent = p.percent + '%';
    // An older server without the sentence: keep the text the page was rendered with.
    if (typeof p.sentence === 'string') {
      bar.setAttribute('aria-label', p.sentence);
      root.querySelector('.raised').textContent = p.sentence;
    }
    root.querySelector('.percent').textContent = p.percent + '%';
    root.querySelector('.supporters').textContent = p.supporters.toLocaleString('en-AU') + (p.supporters === 1 ? ' supporter' : ' supporters');
    root.setAttribute('data-live', 'true');
  });
})();
`;
