/**
 * Every email the service sends, as a template: a subject, the plain-text part and the HTML part
 * in MJML. Placeholders (see `fill`): `{{name}}`, sections `{{#name}}…{{/name}}` and
 * `{{^name}}…{{/name}}`; `{{org.*}}` are the organisation's details, filled once at start-up.
 * Every email is wrapped in the same layout (logo or name in the accent colour, and the footer:
 * name, ABN, postal address); receipts and notices about money also carry the tax statement.
 *
 * Sections in MJML stand only inside an `mj-text` or an `mj-table` (whose content MJML keeps as
 * it is), never between components.
 */
export interface EmailTemplate {
  subject: string;
  text: string;
  /** The content of the layout's main column (mj-text, mj-button, mj-table, mj-divider …). */
  mjml: string;
  /** Print the organisation's tax statement in the footer (receipts, money notices). */
  taxStatement?: boolean;
}

const p = (html: string) => `<mj-text>${html}</mj-text>`;
const small = (html: string) => `<mj-text font-size="13px" color="#555555">${html}</mj-text>`;
const button = (label: string, href: string) =>
  `<mj-button href="${href}" background-color="{{org.accentColour}}" color="#ffffff" font-size="16px" align="left">${label}</mj-button>`;
/** A table of label/value rows; `[label, value, section?]`: the row only when `section` is set. */
const facts = (rows: Array<[string, string, string?]>) =>
  `<mj-table font-size="15px" line-height="1.6" cellpadding="4px">${rows
    .map(([label, value, when]) => {
      const row = `<tr><th style="text-align:left;vertical-align:top;padding-right:16px;font-weight:600">${label}</th><td>${value}</td></tr>`;
      return when ? `{{#${when}}}${row}{{/${when}}}` : row;
    })
    .join('')}</mj-table>`;

const dear = 'Dear {{#name}}{{name}}{{/name}}{{^name}}supporter{{/name}},';
const hello = 'Hello{{#name}} {{name}}{{/name}},';

export const TEMPLATES = {
  /** A receipt: every payment, online and by phone, numbered in the receipts' own sequence. */
  receipt: {
    subject:
      'Receipt for your {{what}}{{^bracketAmount}} of {{amount}}{{/bracketAmount}}{{#bracketAmount}} ({{amount}}){{/bracketAmount}}',
    taxStatement: true,
    text: `${dear}

Thank you for your {{thanksFor}} of {{amount}} {{currency}}{{#how}} {{how}}{{/how}}{{#reference}} (reference {{reference}}){{/reference}}{{#months}} for {{months}}{{/months}}.
{{#note}}{{note}}
{{/note}}
Receipt number: {{number}}
Date: {{date}}
Amount: {{amount}} {{currency}}
For: {{for}}
{{#how}}Paid: {{how}}
{{/how}}{{#reference}}Reference: {{reference}}
{{/reference}}`,
    mjml: [
      p(dear),
      p(
        'Thank you for your {{thanksFor}} of <strong>{{amount}} {{currency}}</strong>{{#how}} {{how}}{{/how}}{{#reference}} (reference {{reference}}){{/reference}}{{#months}} for {{months}}{{/months}}.',
      ),
      p('{{#note}}{{note}}{{/note}}'),
      facts([
        ['Receipt number', '{{number}}'],
        ['Date', '{{date}}'],
        ['Amount', '{{amount}} {{currency}}'],
        ['For', '{{for}}'],
        ['Paid', '{{how}}', 'how'],
        ['Reference', '{{reference}}', 'reference'],
      ]),
    ].join('\n'),
  },

  /** A phone receipt cancelled (the entry reversed or voided), or an online payment lost to a dispute. */
  receipt_correction: {
    subject:
      'Correction: receipt {{number}} for {{amount}} is {{^partial}}cancelled{{/partial}}{{#partial}}reduced{{/partial}}',
    taxStatement: true,
    text: `Hello,

The receipt we emailed you for a {{what}} of {{amount}} {{currency}} on {{day}} (receipt number {{number}}{{#reference}}, reference {{reference}}{{/reference}}) {{reason}}
{{^partial}}Please disregard it.
{{/partial}}{{#partial}}The amount received is now {{remaining}} {{currency}}.
{{/partial}}{{#callUs}}If you did make this {{what}}, please call us and we will issue a correct receipt.
{{/callUs}}{{^partial}}Cancelled receipt number: {{number}}
{{/partial}}{{#partial}}Corrected receipt number: {{number}}
{{/partial}}`,
    mjml: [
      p('Hello,'),
      p(
        'The receipt we emailed you for a {{what}} of <strong>{{amount}} {{currency}}</strong> on {{day}} (receipt number {{number}}{{#reference}}, reference {{reference}}{{/reference}}) {{reason}}',
      ),
      p(
        '{{^partial}}Please disregard it.{{/partial}}{{#partial}}The amount received is now {{remaining}} {{currency}}.{{/partial}} {{#callUs}}If you did make this {{what}}, please call us and we will issue a correct receipt.{{/callUs}}',
      ),
      facts([
        ['Receipt number', '{{number}}'],
        ['Status', '{{^partial}}cancelled{{/partial}}{{#partial}}reduced to {{remaining}} {{currency}}{{/partial}}'],
      ]),
    ].join('\n'),
  },

  /** An online payment refunded (in full or in part). */
  refund: {
    subject: 'Your refund of {{amount}}',
    taxStatement: true,
    text: `${dear}

We have refunded {{amount}} {{currency}} of your {{what}} of {{original}} {{currency}} on {{day}} (receipt number {{number}}).
It goes back to the card you paid with; your bank may take 5 to 10 days to show it.
{{#remaining}}What you gave now stands at {{remaining}} {{currency}}.
{{/remaining}}{{^remaining}}Receipt {{number}} is cancelled.
{{/remaining}}
Refund: {{amount}} {{currency}}
Date: {{date}}
Receipt number: {{number}}
`,
    mjml: [
      p(dear),
      p(
        'We have refunded <strong>{{amount}} {{currency}}</strong> of your {{what}} of {{original}} {{currency}} on {{day}} (receipt number {{number}}). It goes back to the card you paid with; your bank may take 5 to 10 days to show it.',
      ),
      p(
        '{{#remaining}}What you gave now stands at {{remaining}} {{currency}}.{{/remaining}}{{^remaining}}Receipt {{number}} is cancelled.{{/remaining}}',
      ),
      facts([
        ['Refund', '{{amount}} {{currency}}'],
        ['Date', '{{date}}'],
        ['Receipt number', '{{number}}'],
      ]),
    ].join('\n'),
  },

  /** A new subscriber: digital access at once; print, with the first issue going out (its date and address). */
  welcome: {
    subject: 'Welcome to {{org.name}}: your {{tier}}',
    text: `${hello}

Welcome, and thank you for subscribing to {{org.name}}: your {{tier}} {{billing}}.
{{#firstIssue}}Your first issue, dated {{firstIssue}}, is on its way to:
{{address}}
{{/firstIssue}}{{#until}}Your access runs until {{until}}.
{{/until}}Read us at {{site}}
{{#manageUrl}}To change your card or cancel, use: {{manageUrl}}
{{/manageUrl}}`,
    mjml: [
      p(hello),
      p('Welcome, and thank you for subscribing to {{org.name}}: your <strong>{{tier}}</strong> {{billing}}.'),
      p(
        '{{#firstIssue}}Your first issue, dated <strong>{{firstIssue}}</strong>, is on its way to:<br><strong>{{address}}</strong>{{/firstIssue}}',
      ),
      p('{{#until}}Your access runs until <strong>{{until}}</strong>.{{/until}}'),
      button('Start reading', '{{site}}'),
    ].join('\n'),
  },

  /** A renewal's payment failed: update the card before access ends. */
  payment_failed: {
    subject: 'Your payment for {{what}} did not go through',
    text: `${hello}

We could not take your payment of {{amount}} {{currency}} for your {{what}}.
Please update your card here:
{{url}}

{{#until}}Your access continues until {{until}}; if the payment still fails by then, it stops.
{{/until}}This link works once, for {{ttl}} minutes; the page it leads to can send you a fresh one.
`,
    taxStatement: true,
    mjml: [
      p(hello),
      p('We could not take your payment of <strong>{{amount}} {{currency}}</strong> for your {{what}}.'),
      button('Update your card', '{{url}}'),
      p(
        '{{#until}}Your access continues until <strong>{{until}}</strong>; if the payment still fails by then, it stops.{{/until}}',
      ),
      small('This link works once, for {{ttl}} minutes; the page it leads to can send you a fresh one.'),
    ].join('\n'),
  },

  /** Reminder before a past-due subscription's grace ends. */
  access_ending: {
    subject: 'Your {{what}} stops on {{until}} unless your card is updated',
    text: `${hello}

Your last payment for your {{what}} has still not gone through. Unless your card is updated, your access stops on {{until}}.
Update your card here:
{{url}}

This link works once, for {{ttl}} minutes.
`,
    mjml: [
      p(hello),
      p(
        'Your last payment for your {{what}} has still not gone through. Unless your card is updated, your access stops on <strong>{{until}}</strong>.',
      ),
      button('Update your card', '{{url}}'),
      small('This link works once, for {{ttl}} minutes.'),
    ].join('\n'),
  },

  /** An online prepaid period ends in 30 or 7 days. */
  prepaid_ending: {
    subject: 'Your {{tier}} ends on {{last}}: renew to keep reading',
    text: `${hello}

Your prepaid {{tier}} runs until {{last}} inclusive ({{days}} days from now).
Renew it here; a renewal starts when this period ends, so nothing is lost by renewing early:
{{url}}

Thank you for reading.
`,
    mjml: [
      p(hello),
      p(
        'Your prepaid <strong>{{tier}}</strong> runs until <strong>{{last}}</strong> inclusive ({{days}} days from now).',
      ),
      p('A renewal starts when this period ends, so nothing is lost by renewing early.'),
      button('Renew', '{{url}}'),
      p('Thank you for reading.'),
    ].join('\n'),
  },

  /** An offline subscription (cash, cheque, transfer) ends within RENEWAL_REMINDER_DAYS. */
  renewal_reminder: {
    subject: 'Your {{tier}} subscription ends on {{last}}: time to renew',
    text: `Dear {{#name}}{{name}}{{/name}}{{^name}}reader{{/name}},

Your {{tier}} subscription, paid by cash, cheque or transfer, runs until {{last}} inclusive.
To keep it going, call us to renew by phone, or send a cheque or transfer quoting subscription {{subscriptionId}}; a renewal carries on from {{last}}, so nothing is lost by renewing early.
Thank you for reading.
`,
    mjml: [
      p('Dear {{#name}}{{name}}{{/name}}{{^name}}reader{{/name}},'),
      p(
        'Your <strong>{{tier}}</strong> subscription, paid by cash, cheque or transfer, runs until <strong>{{last}}</strong> inclusive.',
      ),
      p(
        'To keep it going, call us to renew by phone, or send a cheque or transfer quoting subscription <strong>{{subscriptionId}}</strong>; a renewal carries on from {{last}}, so nothing is lost by renewing early.',
      ),
      p('Thank you for reading.'),
    ].join('\n'),
  },

  /** A subscription or monthly donation cancelled (ended, or set to end). */
  cancellation: {
    subject: 'Your {{what}} is cancelled',
    text: `${hello}

Your {{what}} is cancelled{{#until}}: {{access}} until {{until}}, and you will not be charged again{{/until}}{{^until}}, and you will not be charged again{{/until}}.
{{#resubscribeUrl}}If you change your mind, you can start again at any time: {{resubscribeUrl}}
{{/resubscribeUrl}}Thank you for your support.
`,
    mjml: [
      p(hello),
      p(
        'Your {{what}} is cancelled{{#until}}: {{access}} until <strong>{{until}}</strong>, and you will not be charged again{{/until}}{{^until}}, and you will not be charged again{{/until}}.',
      ),
      p(
        '{{#resubscribeUrl}}If you change your mind, you can start again at any time: <a href="{{resubscribeUrl}}">{{resubscribeUrl}}</a>{{/resubscribeUrl}}',
      ),
      p('Thank you for your support.'),
    ].join('\n'),
  },

  /** The self-service link: Stripe's customer portal (card, cancellation). */
  self_service_link: {
    subject: 'Manage your support',
    text: `${hello}

Use this link to update your card, see your payments or cancel:
{{url}}

It works once, for {{ttl}} minutes. If you did not ask for it, ignore this email.
`,
    mjml: [
      p(hello),
      p('Use this link to update your card, see your payments or cancel.'),
      button('Manage your support', '{{url}}'),
      small('It works once, for {{ttl}} minutes. If you did not ask for it, ignore this email.'),
    ].join('\n'),
  },

  /** The reader account's sign-in link (single use, short-lived). */
  account_sign_in: {
    subject: 'Sign in to your account',
    text: `${hello}

Use this link to sign in to your account, where you can see your payments and subscriptions, change your delivery address, renew early, and choose which emails you get:
{{url}}

It works once, for {{ttl}} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.
`,
    mjml: [
      p(hello),
      p(
        'Use this link to sign in to your account, where you can see your payments and subscriptions, change your delivery address, renew early, and choose which emails you get.',
      ),
      button('Sign in', '{{url}}'),
      small(
        'It works once, for {{ttl}} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.',
      ),
    ].join('\n'),
  },

  /** The giving statement of an Australian financial year, its PDF attached. */
  giving_statement: {
    subject: 'Your giving statement for {{label}} from {{org.name}}',
    text: `${dear}

Attached is your statement of payments to {{org.name}} for the financial year {{label}} ({{period}}){{^ended}}, so far{{/ended}}.
Total: {{total}}.

Thank you for your support.
`,
    mjml: [
      p(dear),
      p(
        'Attached is your statement of payments to {{org.name}} for the financial year <strong>{{label}}</strong> ({{period}}){{^ended}}, so far{{/ended}}.',
      ),
      facts([['Total', '{{total}}']]),
      p('Thank you for your support.'),
    ].join('\n'),
    taxStatement: true,
  },

  /** A phone caller pays by card on a Checkout link. */
  card_link: {
    subject: 'Your card payment link: {{what}}',
    text: `${dear}

Thank you for your call. To pay for your {{what}} by card, open this secure payment page (Stripe):

{{url}}

Enter your card details on that page only: we never ask for a card number by email or on the phone.
The link can be used once, and expires after 24 hours.

{{marker}}`,
    mjml: [
      p(dear),
      p('Thank you for your call. To pay for your {{what}} by card, open this secure payment page (Stripe):'),
      button('Pay by card', '{{url}}'),
      p(
        'Enter your card details on that page only: we never ask for a card number by email or on the phone. The link can be used once, and expires after 24 hours.',
      ),
      small('{{marker}}'),
    ].join('\n'),
  },

  /** A subscription moved to a posted edition without an address on file. */
  delivery_address_needed: {
    subject: 'Where should we post your {{tier}}?',
    text: `${hello}

You now receive the {{tier}}, and we need your postal address to send it. Add it here:
{{url}}
`,
    mjml: [
      p(hello),
      p('You now receive the <strong>{{tier}}</strong>, and we need your postal address to send it.'),
      button('Add your delivery address', '{{url}}'),
    ].join('\n'),
  },
} satisfies Record<string, EmailTemplate>;

export type TemplateName = keyof typeof TEMPLATES;

/** The frame of every email; `{{{content}}}` is the template's MJML. */
export const LAYOUT_MJML = `<mjml>
  <mj-head>
    <mj-title>{{subject}}</mj-title>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#222222" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f3f3" width="600px">
    <mj-section background-color="#ffffff" border-top="6px solid {{org.accentColour}}" padding="16px 0 0 0">
      <mj-column>
        {{{org.header}}}
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="0 0 16px 0">
      <mj-column>
        {{{content}}}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0">
      <mj-column>
        {{{org.taxStatementBlock}}}
        <mj-text font-size="12px" line-height="1.5" color="#555555">
          <a href="{{org.siteUrl}}" style="color:#555555">{{org.name}}</a>{{#org.abn}} · ABN {{org.abn}}{{/org.abn}}{{#org.postalAddress}}<br>{{org.postalAddress}}{{/org.postalAddress}}
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/** The footer of every plain-text part (no link: the email's own link stays the only one). */
export const TEXT_FOOTER = `
--
{{org.name}}{{#org.abn}}, ABN {{org.abn}}{{/org.abn}}
{{#org.postalAddress}}{{org.postalAddress}}
{{/org.postalAddress}}`;
