import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailMailboxService, type MailboxEntry } from '@app/email';
import { Public } from '@app/staff';
import { escapeHtml, readerPage } from '../reader';

const MAILBOX_CSS = `<style>
.mailbox{list-style:none;padding:0;margin:0}.mailbox li{word-break:break-word}.mailbox p{margin:.25rem 0 0}
pre.text{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #e3e3e3;border-radius:.5rem;padding:1rem;font-size:.9rem}
iframe.html{width:100%;min-height:32rem;border:1px solid #e3e3e3;border-radius:.5rem;background:#fff}
dl.meta{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dl.meta dt{font-weight:600}dl.meta dd{margin:0;word-break:break-word}
.notice{background:#fff8e1;border:1px solid #e0c46c;border-radius:.5rem;padding:.5rem 1rem}
</style><meta name="robots" content="noindex">`;

/**
 * The development mailbox: in the no-configuration `npm start` (the Stripe simulator, no
 * SMTP_URL) the emails the service would send are read here, newest first, each with its text,
 * its HTML (in a sandboxed frame, from its own route) and its attachments. Served only when
 * `config.devMailbox` (DEV_MAILBOX; by default with the simulator only); never with a live
 * Stripe key: 404 then, as for any unknown page.
 */
@ApiExcludeController()
@Public()
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(
    private readonly config: AppConfig,
    private readonly mailbox: EmailMailboxService,
  ) {}

  private open(): void {
    if (!this.config.devMailbox) throw new DomainError('NOT_FOUND', 'not found');
  }

  private when(at: Date): string {
    return new Intl.DateTimeFormat('en-AU', {
      timeZone: this.config.REPORT_TIME_ZONE,
      dateStyle: 'medium',
      timeStyle: 'medium',
    }).format(new Date(at));
  }

  private page(reply: FastifyReply, title: string, body: string): void {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(readerPage(this.config.organisation, { title, body, head: MAILBOX_CSS }));
  }

  @Get()
  async list(@Res() reply: FastifyReply): Promise<void> {
    this.open();
    const emails = await this.mailbox.list();
    const items = emails.map((e: MailboxEntry) => {
      const files = e.attachments ? ` · ${e.attachments} attachment${e.attachments > 1 ? 's' : ''}` : '';
      return `<li class="card"><a href="/dev/mailbox/${e.id}"><strong>${escapeHtml(e.subject)}</strong></a>
<p class="hint">To ${escapeHtml(e.to)}</p>
<p class="hint">${escapeHtml(e.kind)} · ${escapeHtml(e.status)} · <time datetime="${new Date(e.createdAt).toISOString()}">${escapeHtml(this.when(e.createdAt))}</time>${files}</p></li>`;
    });
    this.page(
      reply,
      'Development mailbox',
      `<h1>Development mailbox</h1>
<p class="notice">The emails this service wrote, newest first${this.config.SMTP_URL ? ' (they are also sent by SMTP)' : ': with no SMTP_URL none is sent'}. Only in development: never with a live Stripe key.</p>
${items.length ? `<ol class="mailbox" aria-label="Emails, newest first">${items.join('\n')}</ol>` : '<p>No emails yet.</p>'}`,
    );
  }

  @Get(':id')
  async message(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    this.open();
    const m = await this.mailbox.get(id);
    if (!m) throw new DomainError('NOT_FOUND', 'no such email', 'id');
    const files = m.files.length
      ? `<h2>Attachments</h2><ul>${m.files
          .map(
            (f) =>
              `<li><a href="/dev/mailbox/${m.id}/attachments/${f.id}" download>${escapeHtml(f.filename)}</a> <span class="hint">${escapeHtml(f.contentType)}, ${f.size.toLocaleString('en-AU')} bytes</span></li>`,
          )
          .join('')}</ul>`
      : '';
    this.page(
      reply,
      m.subject,
      `<p><a href="/dev/mailbox">← All emails</a></p>
<h1>${escapeHtml(m.subject)}</h1>
<dl class="meta"><dt>To</dt><dd>${escapeHtml(m.to)}</dd><dt>Kind</dt><dd>${escapeHtml(m.kind)}</dd>
<dt>Status</dt><dd>${escapeHtml(m.status)}</dd><dt>Written</dt><dd>${escapeHtml(this.when(m.createdAt))}</dd></dl>
${files}
<h2>Plain text</h2>
<pre class="text">${escapeHtml(m.body)}</pre>
<h2>HTML</h2>
${
  m.html
    ? `<iframe class="html" sandbox src="/dev/mailbox/${m.id}/html" title="The HTML version of this email"></iframe>`
    : '<p>This email has no HTML version.</p>'
}`,
    );
  }

  /** The email's HTML as it is: framed by the message page only, sandboxed (no script, no forms, a unique origin). */
  @Get(':id/html')
  async html(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    this.open();
    const m = await this.mailbox.get(id);
    if (!m?.html) throw new DomainError('NOT_FOUND', 'no HTML version of this email', 'id');
    // helmet wrote its defaults (frame-ancestors 'none') on the raw response: this page replaces them.
    reply.raw.removeHeader('content-security-policy');
    reply.raw.removeHeader('x-frame-options');
    void reply
      .header(
        'content-security-policy',
        `sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline' *; font-src *; frame-ancestors 'self'`,
      )
      .header('x-frame-options', 'SAMEORIGIN')
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(m.html);
  }

  @Get(':id/attachments/:attachmentId')
  async attachment(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.open();
    const file = await this.mailbox.attachment(id, attachmentId);
    if (!file) throw new DomainError('NOT_FOUND', 'no such attachment', 'attachmentId');
    const safeName = file.filename.replace(/[^\w.-]+/g, '_');
    void reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${safeName}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(file.content);
  }
}
