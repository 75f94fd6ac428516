/** What a template's placeholders are filled with. */
export type TemplateVars = Record<string, string | number | boolean | null | undefined>;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SECTION = /\{\{([#^])([\w.]+)\}\}([\s\S]*?)\{\{\/\2\}\}/g;
const RAW = /\{\{\{([\w.]+)\}\}\}/g;
const VALUE = /\{\{([\w.]+)\}\}/g;

const shown = (v: TemplateVars[string]) => v !== undefined && v !== null && v !== false && v !== '';

/**
 * A small mustache: `{{name}}` (escaped with `escape`), `{{{name}}}` (as it is), and sections
 * `{{#name}}…{{/name}}` (kept when the value is set: not empty, null, undefined or false) and
 * `{{^name}}…{{/name}}` (kept when it is not). With `only`, names it does not match are left for
 * a later pass (the organisation is filled once at start-up, the email's own values per email).
 */
export function fill(template: string, vars: TemplateVars, escape: (s: string) => string, only?: RegExp): string {
  const mine = (name: string) => !only || only.test(name);
  let out = template;
  // Sections first (innermost first, so one may hold another of another name).
  for (let again = true; again;) {
    again = false;
    out = out.replace(SECTION, (whole, sign: string, name: string, inner: string) => {
      if (!mine(name)) return whole;
      again = true;
      return shown(vars[name]) === (sign === '#') ? inner : '';
    });
  }
  const value = (whole: string, name: string, esc: (s: string) => string) => {
    if (!mine(name)) return whole;
    const v = vars[name];
    return v === undefined || v === null || v === false ? '' : esc(String(v));
  };
  return out
    .replace(RAW, (w, n: string) => value(w, n, (s) => s))
    .replace(VALUE, (w, n: string) => value(w, n, escape));
}
