import { Public } from '@app/staff';
import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SelfServiceService } from '@app/subscriptions';
import { RateLimit } from '../http/rate-limit';
import { freshLinkSentPage, uncheckableLinkPage } from '../http/self-service-pages';

/**
 * The form on the page a used or expired link shows. The one route that takes an HTML form body
 * (`requestShapeHook` lets this path through): a form on another site can only make us email a
 * link to the address we hold for a link it already has, so there is nothing to forge.
 */
@ApiExcludeController()
@Public()
@Controller('self-service')
export class SelfServicePagesController {
  constructor(private readonly selfService: SelfServiceService) {}

  @Post('new-link')
  @HttpCode(200)
  @RateLimit()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async newLink(@Body() body: unknown): Promise<string> {
    const token = body && typeof body === 'object' ? (body as Record<string, unknown>).token : undefined;
    // A link we cannot check sends nothing, and the page says so (not "a new one is on its way").
    return (await this.selfService.requestFreshLink(token)) ? freshLinkSentPage() : uncheckableLinkPage();
  }
}
