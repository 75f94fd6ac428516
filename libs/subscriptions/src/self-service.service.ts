import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, isUuid } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailService, EmailTemplates } from '@app/email';
import { StripeGateway } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';

interface LinkClaims {
  /** supporter id */
  s: string;
  /** expiry, unix seconds */
  e: number;
  /** nonce: the link's identity, recorded when it is used (a link works once) */
  n: string;
}

/** How long after its expiry a link may still ask for a fresh one to be emailed. */
const FRESH_LINK_GRACE_MS = 7 * 24 * 3600_000;
/** Used-link rows are deleted this long after their link expired, at most once a minute per instance. */
const PURGE_INTERVAL_MS = 60_000;

const invalid = () =>
  new DomainError('LINK_INVALID', 'this link is invalid or has expired; ask for a new one', 'token');

/**
 * Readers manage their card and cancel on Stripe's customer portal, without phoning anyone and
 * without being able to open anyone else's: they ask for a link, which is emailed to the address
 * we hold (so only its owner gets it), signed (HMAC), short-lived and single-use: its first use
 * records its nonce (self_service_link_uses, primary key: of two concurrent uses one wins), and
 * a link seen again, in a proxy's log or a shared inbox, opens nothing.
 */
@Injectable()
export class SelfServiceService {
  private readonly secret: Buffer;
  private lastPurge = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly supporters: SupportersService,
    private readonly email: EmailService,
    private readonly stripe: StripeGateway,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: EmailTemplates,
  ) {
    this.secret = config.LINK_SIGNING_SECRET ? Buffer.from(config.LINK_SIGNING_SECRET) : randomBytes(32);
  }

  sign(claims: LinkClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', this.secret).update(payload).digest('base64url');
    return `${payload}.${mac}`;
  }

  /** The claims of a link we signed; LINK_EXPIRED past its expiry (unless `expiredFor` allows so long after it). */
  verify(token: unknown, now = Date.now(), expiredFor = 0): LinkClaims {
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
    if (
      !claims ||
      typeof claims.s !== 'string' ||
      !isUuid(claims.s) ||
      typeof claims.e !== 'number' ||
      typeof claims.n !== 'string' ||
      !claims.n
    ) {
      throw invalid();
    }
    if (claims.e * 1000 + expiredFor < now) {
      throw new DomainError('LINK_EXPIRED', 'this link has expired; ask for a new one', 'token');
    }
    return claims;
  }

  /** A fresh single-use link to Stripe's customer portal (card, cancellation) for a supporter, for an email. */
  portalLinkFor(supporterId: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/api/self-service/portal?token=${this.tokenFor(supporterId)}`;
  }

  /** A fresh signed, single-use token for a supporter (valid SELF_SERVICE_LINK_TTL_MINUTES). */
  tokenFor(supporterId: string): string {
    return this.sign({
      s: supporterId,
      e: Math.floor(Date.now() / 1000) + this.config.SELF_SERVICE_LINK_TTL_MINUTES * 60,
      n: randomBytes(16).toString('base64url'),
    });
  }

  /** Emails a link when we know the address; answers the same either way (no account probing). */
  async requestLink(email: string): Promise<void> {
    const supporter = await this.supporters.findByEmail(email);
    if (supporter) await this.sendLink(supporter);
  }

  /**
   * From the page a used or expired link shows: emails a fresh link to the address we hold for
   * the supporter that link was for (up to a week after it expired). False when the link cannot
   * be checked (not signed by us, cut short, or too old): nothing is sent, and the reader must be
   * told so. True otherwise, whether or not a link went out (no account probing).
   */
  async requestFreshLink(token: unknown): Promise<boolean> {
    let claims: LinkClaims;
    try {
      claims = this.verify(token, Date.now(), FRESH_LINK_GRACE_MS);
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
    const supporter = await this.supporters.findById(claims.s);
    if (supporter) await this.sendLink(supporter);
    return true;
  }

  private async sendLink(supporter: Supporter): Promise<void> {
    if (!supporter.stripeCustomerId || !supporter.email) return;
    const url = this.portalLinkFor(supporter.id);
    // Only written to the outbox (its worker sends it): the answer never waits on SMTP, so it
    // takes as long for an address we hold as for one we do not. Nor does it wait for the disk:
    // a link lost to a database crash is simply asked for again.
    await this.dataSource.transaction(async (m) => {
      if (this.config.DATABASE_URL) await m.query(`SET LOCAL synchronous_commit = off`);
      await this.email.send(
        {
          to: supporter.email!,
          kind: 'self_service_link',
          ...this.templates.render('self_service_link', {
            name: supporter.name,
            url,
            ttl: this.config.SELF_SERVICE_LINK_TTL_MINUTES,
          }),
        },
        m,
      );
    });
  }

  /**
   * Uses a link: `action` runs for the supporter it speaks for, in a transaction that also records
   * the link as used. LINK_USED when it was used before (or is being used right now); when
   * `action` fails the link stays unused.
   */
  async useLink<T>(token: unknown, action: (supporterId: string, manager: EntityManager) => Promise<T>): Promise<T> {
    const claims = this.verify(token);
    const result = await this.dataSource.transaction(async (manager) => {
      await this.markUsed(claims, manager);
      return action(claims.s, manager);
    });
    this.purgeExpired();
    return result;
  }

  /**
   * Checks a portal link without using it (what a GET of the link does: mail scanners fetch links
   * before the reader does): LINK_INVALID, LINK_EXPIRED or LINK_USED as {@link portalUrl} would.
   */
  async checkPortalLink(token: unknown): Promise<void> {
    const claims = await this.checkLink(token);
    const supporter = await this.supporters.findById(claims.s);
    if (!supporter?.stripeCustomerId) throw invalid();
  }

  /** Checks a link without using it: LINK_INVALID, LINK_EXPIRED or LINK_USED as {@link useLink} would; its supporter. */
  async checkLink(token: unknown): Promise<{ s: string }> {
    const claims = this.verify(token);
    const used: unknown[] = await this.dataSource.query(`SELECT 1 FROM self_service_link_uses WHERE nonce = $1`, [
      claims.n,
    ]);
    if (used.length) throw new DomainError('LINK_USED', 'this link has already been used; ask for a new one', 'token');
    return claims;
  }

  /** The Stripe customer portal URL for a valid, unused link (which is used by it). */
  async portalUrl(token: unknown): Promise<string> {
    const claims = this.verify(token);
    const supporter = await this.supporters.findById(claims.s);
    if (!supporter?.stripeCustomerId) throw invalid();
    // Recorded before Stripe is asked (no transaction held open over the call); given back if Stripe fails.
    await this.markUsed(claims, this.dataSource.manager);
    try {
      const session = await this.stripe.createBillingPortalSession(
        supporter.stripeCustomerId,
        this.config.PUBLIC_BASE_URL,
      );
      this.purgeExpired();
      return session.url;
    } catch (err) {
      await this.dataSource
        .query(`DELETE FROM self_service_link_uses WHERE nonce = $1`, [claims.n])
        .catch(() => undefined);
      throw err;
    }
  }

  /** Records the link's nonce, or LINK_USED when it is already recorded (or being recorded by a concurrent use). */
  private async markUsed(claims: LinkClaims, manager: EntityManager): Promise<void> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO self_service_link_uses (nonce, supporter_id, expires_at) VALUES ($1, $2, to_timestamp($3)) ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
      [claims.n, claims.s, claims.e],
    );
    if (!rows.length) throw new DomainError('LINK_USED', 'this link has already been used; ask for a new one', 'token');
  }

  private purgeExpired(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.dataSource
      .query(`DELETE FROM self_service_link_uses WHERE expires_at < now() - interval '1 day'`)
      .catch(() => undefined);
  }
}
