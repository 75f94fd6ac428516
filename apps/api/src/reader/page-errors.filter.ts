import { type ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllExceptionsFilter, DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { messagePage } from './give-page';
import { sendPage } from './send-page';

/**
 * The reader pages' failures as pages, not JSON: too many tries (429, with Retry-After), the
 * payment provider or the database unreachable, anything unexpected (logged with its error id,
 * as the API's filter does, and the id shown). Bad input never gets here: the pages answer it
 * themselves, next to the fields.
 */
@Injectable()
@Catch()
export class ReaderPageErrorsFilter extends AllExceptionsFilter {
  constructor(private readonly config: AppConfig) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const body = this.toBody(exception, ctx.getRequest<FastifyRequest>());
    const org = this.config.organisation;
    if (exception instanceof DomainError && exception.retryAfter !== undefined) {
      reply.header('retry-after', String(exception.retryAfter));
    }
    let title = 'Something went wrong';
    let text = `Something went wrong on our side, and nothing was charged. Please try again in a moment.${body.errorId ? ` (Error ${body.errorId}.)` : ''}`;
    if (body.statusCode === 429) {
      title = 'Too many tries';
      text = `We have had many forms from your connection in the last minute. Nothing was charged: please wait ${exception instanceof DomainError && exception.retryAfter ? `${exception.retryAfter} seconds` : 'a minute'} and try again.`;
    } else if (body.code === 'PAYMENT_PROVIDER_UNAVAILABLE') {
      text = 'We could not reach our payment provider just now, and nothing was charged. Please try again in a moment.';
    } else if (body.statusCode === 404) {
      title = 'Page not found';
      text = 'There is nothing here.';
    } else if (body.statusCode < 500) {
      title = 'We could not accept this';
      text = body.message;
    }
    sendPage(
      reply,
      this.config,
      body.statusCode,
      messagePage(
        org,
        title,
        [text],
        [
          { href: '/give', text: 'Go to the donation form' },
          { href: org.siteUrl, text: `Back to ${org.name}` },
        ],
      ),
    );
  }
}
