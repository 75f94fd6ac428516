import { loadConfig } from '@app/config';
import { EmailTemplates } from './email-templates';
import { fill } from './fill';
import { type EmailTemplate, TEMPLATES, type TemplateName } from './templates';

const config = loadConfig({
  ORG_NAME: 'The Harbour Herald',
  ORG_ABN: '51 824 753 556',
  ORG_POSTAL_ADDRESS: 'PO Box 42, Hobart TAS 7001',
  ORG_GIFTS_TAX_DEDUCTIBLE: 'true',
  ORG_ACCENT_COLOUR: '#0a5c36',
  ORG_SITE_URL: 'https://herald.example.org',
});
const templates = new EmailTemplates(config);

/** Every placeholder a template names, with a value that shows where it lands. */
function sampleVars(name: TemplateName): Record<string, string> {
  const t = TEMPLATES[name];
  const names = new Set([...`${t.subject}\n${t.text}\n${t.mjml}`.matchAll(/\{\{[#^/]?([\w]+)\}\}/g)].map((m) => m[1]));
  return Object.fromEntries(
    [...names].map((n) => [n, n === 'url' || n.endsWith('Url') ? `https://x.test/${n}?a=1&b=2` : `<${n}>`]),
  );
}

describe('email templates', () => {
  it.each(Object.keys(TEMPLATES) as TemplateName[])(
    '%s renders text and HTML with every value, the branding and the footer, and nothing left unfilled',
    (name) => {
      const vars = sampleVars(name);
      const r = templates.render(name, vars);
      for (const part of [r.subject, r.body, r.html]) expect(part).not.toMatch(/\{\{|\}\}/);
      for (const [k, v] of Object.entries(vars)) {
        if (k === 'bracketAmount' || k === 'partial' || k === 'callUs') continue;
        if (`${TEMPLATES[name].text}`.includes(`{{${k}}}`)) expect(r.body).toContain(v);
        if (TEMPLATES[name].mjml.includes(`{{${k}}}`)) {
          // In HTML, values are escaped.
          expect(r.html).toContain(v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
          expect(r.html).not.toContain(v.includes('<') ? v : '\u0000');
        }
      }
      expect(r.html).toContain('The Harbour Herald');
      expect(r.html).toContain('ABN 51 824 753 556');
      expect(r.html).toContain('PO Box 42, Hobart TAS 7001');
      expect(r.html).toContain('#0a5c36');
      expect(r.body).toContain('The Harbour Herald, ABN 51 824 753 556\nPO Box 42, Hobart TAS 7001\n');
      const tax = config.organisation.taxStatement;
      expect(r.body.includes(tax)).toBe(!!(TEMPLATES[name] as EmailTemplate).taxStatement);
      expect(r.html.includes(tax)).toBe(!!(TEMPLATES[name] as EmailTemplate).taxStatement);
    },
  );

  it('a receipt says its number, date, amount and what it was for, in both parts', () => {
    const r = templates.render('receipt', {
      what: 'donation',
      thanksFor: 'donation',
      amount: '$25.00',
      currency: 'AUD',
      number: 17,
      date: '2026-12-04',
      for: 'One-off donation',
      name: 'Ann',
    });
    expect(r.subject).toBe('Receipt for your donation of $25.00');
    expect(r.body).toContain('Dear Ann,\n\nThank you for your donation of $25.00 AUD.\n');
    expect(r.body).toContain('Receipt number: 17\nDate: 2026-12-04\nAmount: $25.00 AUD\nFor: One-off donation\n');
    expect(r.html).toMatch(/Receipt number<\/th><td>17<\/td>/);
    expect(r.html).not.toContain('Reference');
  });

  it('fill: sections, escaping, and names left for a later pass', () => {
    expect(fill('{{#a}}A{{b}}{{/a}}{{^a}}none{{/a}}', { a: 'x', b: '<b>' }, (s) => s.replace('<', '&lt;'))).toBe(
      'A&lt;b>',
    );
    expect(fill('{{#a}}A{{/a}}{{^a}}none{{/a}}', { a: '' }, (s) => s)).toBe('none');
    expect(fill('{{org.x}} {{y}}', { 'org.x': 'X' }, (s) => s, /^org\./)).toBe('X {{y}}');
    expect(fill('{{{raw}}}', { raw: '<i>' }, () => 'escaped')).toBe('<i>');
  });
});
