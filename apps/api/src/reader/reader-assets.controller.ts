import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/staff';
import { READER_CSS, READER_CSS_ETAG, READER_JS, READER_JS_ETAG } from './assets';

/** The reader pages' stylesheet and script, cached for an hour and revalidated by ETag. */
@ApiExcludeController()
@Public()
@Controller('assets')
export class ReaderAssetsController {
  @Get('reader.css')
  css(@Headers('if-none-match') inm: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, inm, READER_CSS, READER_CSS_ETAG, 'text/css; charset=utf-8');
  }

  @Get('reader.js')
  js(@Headers('if-none-match') inm: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, inm, READER_JS, READER_JS_ETAG, 'text/javascript; charset=utf-8');
  }
}

function send(reply: FastifyReply, inm: string | undefined, body: string, tag: string, type: string): void {
  reply.header('etag', tag).header('cache-control', 'public, max-age=3600');
  if (inm === tag) {
    void reply.code(304).send();
    return;
  }
  void reply.header('content-type', type).send(body);
}
