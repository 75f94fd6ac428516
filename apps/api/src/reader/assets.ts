import { createHash } from 'node:crypto';

/** Where the reader pages' stylesheet and script are served (`ReaderAssetsController`). */
export const READER_CSS_PATH = '/assets/reader.css';
export const READER_JS_PATH = '/assets/reader.js';

/**
 * The reader pages' stylesheet: mobile first, system fonts, the organisation's accent colour
 * from `--accent` (set per page), visible focus, large touch targets.
 */
export const READER_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fafafa}
header.site,footer.site{padding:1rem;background:#fff;border-bottom:1px solid #e3e3e3}
footer.site{border-top:1px solid #e3e3e3;border-bottom:0;font-size:.875rem;color:#555;margin-top:3rem}
.brand{font-weight:700;font-size:1.25rem;color:#1a1a1a;text-decoration:none}
.logo{max-height:2.5rem;max-width:60vw}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:1rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
label,legend{display:block;font-weight:600;margin:.75rem 0 .25rem}
fieldset{border:0;padding:0;margin:1rem 0}
input[type=text],input[type=email],input[type=number],input[type=tel],select{width:100%;font:inherit;padding:.625rem .75rem;border:1px solid #767676;border-radius:.375rem;background:#fff;min-height:2.75rem}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#b00020;border-width:2px}
.hint{font-size:.9rem;color:#555;margin:.25rem 0}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.errors{border:2px solid #b00020;border-radius:.5rem;padding:.75rem 1rem;background:#fff5f5}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choice{position:relative}
.choice input{position:absolute;opacity:0;width:1px;height:1px}
.choice span{display:inline-block;min-width:5rem;text-align:center;padding:.625rem 1rem;border:2px solid #767676;border-radius:.5rem;background:#fff;cursor:pointer;font-weight:600}
.choice input:checked+span{border-color:var(--accent);background:var(--accent);color:#fff}
.choice input:focus-visible+span{outline:3px solid var(--accent);outline-offset:2px}
button,.button{display:inline-block;font:inherit;font-weight:700;padding:.75rem 1.5rem;min-height:2.75rem;border:0;border-radius:.5rem;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent);border:2px solid var(--accent)}
.progress{margin:1rem 0}
.progress progress{width:100%;height:1rem;accent-color:var(--accent)}
.card{background:#fff;border:1px solid #e3e3e3;border-radius:.5rem;padding:1rem;margin:1rem 0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:.5rem .25rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
td.amount,th.amount{text-align:right;white-space:nowrap}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (min-width:40rem){h1{font-size:2rem}}
`;

/** The reader pages' script: progressive enhancement only (every page works without it). */
export const READER_JS = `"use strict";
// Print subscriptions show the delivery address; without JavaScript it is always shown.
document.querySelectorAll("[data-show-when]").forEach(function (el) {
  var rule = el.getAttribute("data-show-when").split("=");
  var inputs = document.querySelectorAll('input[name="' + rule[0] + '"]');
  function sync() {
    var on = false;
    inputs.forEach(function (i) { if (i.checked && i.value === rule[1]) on = true; });
    el.hidden = !on;
    el.querySelectorAll("input,select").forEach(function (f) { f.disabled = !on; });
  }
  inputs.forEach(function (i) { i.addEventListener("change", sync); });
  sync();
});
// A form is sent once: a double click does not post it twice.
document.querySelectorAll("form[data-once]").forEach(function (form) {
  form.addEventListener("submit", function (e) {
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });
});
// A form that came back with problems: the summary at the top takes the focus, so it is read out first.
var summary = document.getElementById("error-summary");
if (summary) summary.focus();
// The donate form: typing an amount of one's own chooses "Other"; choosing a suggested one clears it.
document.querySelectorAll("input[data-other-amount]").forEach(function (input) {
  var radios = input.form ? input.form.querySelectorAll('input[name="amount"]') : [];
  radios.forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked && r.value !== "other") input.value = ""; });
  });
  input.addEventListener("input", function () {
    if (!input.value.trim()) return;
    radios.forEach(function (r) { if (r.value === "other") r.checked = true; });
  });
});
// A thank-you page whose payment is still being confirmed asks again until it is recorded, then shows it.
document.querySelectorAll("[data-pending-checkout]").forEach(function (el) {
  var url = "/api/donations/" + encodeURIComponent(el.getAttribute("data-pending-checkout"));
  var tries = 0;
  function ask() {
    if (++tries > 120) return;
    fetch(url, { headers: { accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.status !== "open" && s.status !== "creating") location.reload();
        else setTimeout(ask, 1000);
      }, function () { setTimeout(ask, 3000); });
  }
  setTimeout(ask, 500);
});
`;

const etag = (s: string) => `"${createHash('sha256').update(s).digest('base64url').slice(0, 16)}"`;
export const READER_CSS_ETAG = etag(READER_CSS);
export const READER_JS_ETAG = etag(READER_JS);
