import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/config';
import { cookie, readCookie } from './html';

/** The cookie holding the reader's CSRF secret (HttpOnly, SameSite=Lax, the whole site). */
export const CSRF_COOKIE = 'reader_csrf';
/** The hidden form field carrying the token. */
export const CSRF_FIELD = '_csrf';

/**
 * CSRF protection for the reader pages' forms, without server state: the browser holds a random
 * secret in an HttpOnly cookie, and each form carries an HMAC of it (signed with
 * LINK_SIGNING_SECRET, random per process when unset). A post from another site cannot read the
 * cookie nor compute the token; a cookie planted by a sibling subdomain fails the HMAC. The cookie
 * is SameSite=Lax as well, so a cross-site POST does not even carry it.
 */
@Injectable()
export class ReaderCsrf {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.LINK_SIGNING_SECRET ?? randomBytes(32))
      .update('reader-csrf')
      .digest();
  }

  /** The token for the page's forms; sets the cookie when the browser has none (or a malformed one). */
  token(req: FastifyRequest, reply: FastifyReply): string {
    let secret = this.secretOf(req);
    if (!secret) {
      secret = randomBytes(24).toString('base64url');
      reply.header(
        'set-cookie',
        cookie(CSRF_COOKIE, secret, { sameSite: 'Lax', secure: this.secure(req), maxAgeSeconds: 60 * 60 * 24 * 30 }),
      );
    }
    return this.sign(secret);
  }

  /** Whether the posted form's token matches the browser's cookie. */
  valid(req: FastifyRequest, posted: unknown): boolean {
    const secret = this.secretOf(req);
    if (!secret || typeof posted !== 'string') return false;
    const expected = Buffer.from(this.sign(secret));
    const given = Buffer.from(posted);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private secretOf(req: FastifyRequest): string | undefined {
    const value = readCookie(req.headers.cookie, CSRF_COOKIE);
    return value && /^[A-Za-z0-9_-]{32}$/.test(value) ? value : undefined;
  }

  private sign(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('base64url');
  }

  private secure(req: FastifyRequest): boolean {
    return req.protocol === 'https' || this.config.PUBLIC_BASE_URL.startsWith('https:');
  }
}
