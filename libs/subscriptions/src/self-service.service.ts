import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailService } from '@app/email';
import { StripeGateway } from '@app/stripe';
import { SupportersService } from '@app/supporters';

interface LinkClaims {
  /** supporter id */
  s: string;
  /** expiry, unix seconds */
  e: number;
}

/**
 * Readers manage their card and cancel on Stripe's customer portal, without phoning anyone and
 * without being able to open anyone else's: they ask for a link, which is emailed to the address
 * we hold (so only its owner gets it), signed (HMAC) and short-lived.
 */
@Injectable()
export class SelfServiceService {
  private readonly secret: Buffer;

  constructor(
    private readonly config: AppConfig,
    private readonly supporters: SupportersService,
    private readonly email: EmailService,
    private readonly stripe: StripeGateway,
  ) {
    this.secret = config.LINK_SIGNING_SECRET ? Buffer.from(config.LINK_SIGNING_SECRET) : randomBytes(32);
  }

  sign(claims: LinkClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', this.secret).update(payload).digest('base64url');
    return `${payload}.${mac}`;
  }

  verify(token: string | undefined, now = Date.now()): LinkClaims {
    const invalid = () => new DomainError('LINK_INVALID', 'this link is invalid or has expired; ask for a new one', 'token');
    if (typeof token !== 'string' || !token || token.length > 1000) throw invalid();
    const [payload, mac] = token.split('.');
    if (!payload || !mac) throw invalid();
    const expected = createHmac('sha256', this.secret).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let claims: LinkClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (typeof claims.s !== 'string' || typeof claims.e !== 'number' || claims.e * 1000 < now) throw invalid();
    return claims;
  }

  /** A fresh signed token for a supporter (valid SELF_SERVICE_LINK_TTL_MINUTES). */
  tokenFor(supporterId: string): string {
    return this.sign({ s: supporterId, e: Math.floor(Date.now() / 1000) + this.config.SELF_SERVICE_LINK_TTL_MINUTES * 60 });
  }

  /** Emails a link when we know the address; answers the same either way (no account probing). */
  async requestLink(email: string): Promise<void> {
    const supporter = await this.supporters.findByEmail(email);
    if (!supporter?.stripeCustomerId || !supporter.email) return;
    const token = this.tokenFor(supporter.id);
    const url = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/api/self-service/portal?token=${token}`;
    await this.email.send({
      to: supporter.email,
      kind: 'self_service_link',
      subject: 'Manage your support',
      body: `Hello${supporter.name ? ` ${supporter.name}` : ''},\n\nUse this link to update your card, see your payments or cancel:\n${url}\n\nIt works for ${this.config.SELF_SERVICE_LINK_TTL_MINUTES} minutes. If you did not ask for it, ignore this email.\n`,
    });
  }

  /** The supporter a valid link speaks for. */
  supporterIdFrom(token: string | undefined): string {
    return this.verify(token).s;
  }

  /** The Stripe customer portal URL for a valid link. */
  async portalUrl(token: string | undefined): Promise<string> {
    const claims = this.verify(token);
    const supporter = await this.supporters.findById(claims.s);
    if (!supporter?.stripeCustomerId) throw new DomainError('LINK_INVALID', 'this link is invalid or has expired; ask for a new one', 'token');
    const session = await this.stripe.createBillingPortalSession(supporter.stripeCustomerId, this.config.PUBLIC_BASE_URL);
    return session.url;
  }
}
