/**
 * Generated from openapi.json by `npm run openapi` (openapi-typescript): do not edit.
 * `npm run openapi:check` fails in CI when this file is stale.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database check */
        get: operations["HealthController_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/donations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a donation: answers the Stripe Checkout URL to send the reader to */
        post: operations["DonationsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/donations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where a donation stands (for the thank-you page) */
        get: operations["DonationsController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/{slug}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A campaign's progress toward its target
         * @description Served from memory (refreshed from ledger roll-ups every PROGRESS_REFRESH_MS), with an ETag (If-None-Match → 304) and Cache-Control.
         */
        get: operations["CampaignsController_progress"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/{slug}/progress/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live progress as server-sent events
         * @description An `event: progress` with the progress JSON on connect and after every change; a comment every 20 s keeps proxies from closing the stream. Each instance holds at most PROGRESS_STREAM_MAX_CLIENTS streams: past it, 503 TOO_MANY_STREAMS with Retry-After.
         */
        get: operations["CampaignsController_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/embed/campaigns/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The embeddable progress bar (HTML for an iframe; works without JavaScript) */
        get: operations["CampaignsController_embedHtml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/embed/campaigns/{slug}/progress.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The progress bar as an SVG image (for an <img> tag), titled and described for screen readers */
        get: operations["CampaignsController_embedSvg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every campaign, newest first
         * @description The phone line lists them too, to offer the running campaigns for a donation.
         */
        get: operations["CampaignsController_list"];
        put?: never;
        /** Create a campaign (optionally making it the current one) */
        post: operations["CampaignsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign (slug or `current`) */
        get: operations["CampaignsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a campaign's title, target, dates, counted types, or make it current */
        patch: operations["CampaignsController_update"];
        trace?: never;
    };
    "/api/tiers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The subscription tiers, their monthly prices and prepaid options */
        get: operations["SubscriptionsController_listTiers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/tiers/{code}/price": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a tier's price for new sign-ups (existing subscribers keep theirs) */
        put: operations["SubscriptionsController_updateTierPrice"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Subscribe to a tier, monthly or for a prepaid period; answers the Checkout URL
         * @description A repeat while the checkout is open answers it again (`outcome: reused`); a repeat with a corrected name or delivery address expires the open checkout on Stripe and opens a new one (`outcome: replaced`, `replaces`); 409 SUBSCRIPTION_ALREADY_ACTIVE if that checkout was paid meanwhile.
         */
        post: operations["SubscriptionsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/entitlements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deprecated: use POST /api/entitlements (an email in a URL ends up in proxy logs). Same answer.
         * @deprecated
         */
        get: operations["SubscriptionsController_entitlements"];
        put?: never;
        /**
         * Is this reader an active digital / print subscriber, and until when
         * @description The email is in the JSON body, so it stays out of URLs and the logs of every proxy on the way.
         */
        post: operations["SubscriptionsController_entitlementsByBody"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/self-service/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email the supporter a signed, short-lived link to manage card and cancellation */
        post: operations["SubscriptionsController_requestLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/self-service/subscriptions/{id}/delivery-address": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change where a print subscription is posted; `token` is the one from the emailed link, which works once (410 LINK_USED after) */
        put: operations["SubscriptionsController_changeAddress"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/self-service/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Follow an emailed link: a page with a "Continue to your billing portal" button, which posts the link (only the post uses it, so a mail scanner fetching the link spends nothing). Used or expired, it answers a page (410) offering a fresh one by email */
        get: operations["SubscriptionsController_portalPage"];
        put?: never;
        /** The emailed link's page posts here: redirects to the Stripe customer portal. A link works once: used or expired, it answers a page (410) offering a fresh one by email */
        post: operations["SubscriptionsController_portal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Staff sign-in: a short-lived bearer token (throttled after repeated failures)
         * @description Also sets the staff_refresh cookie (HttpOnly, SameSite=Strict, Path=/api/auth): the staff console's session, for POST /api/auth/refresh.
         */
        post: operations["StaffController_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new access token for the session in the refresh cookie (the staff console)
         * @description Reads the staff_refresh cookie set by sign-in and answers a new access token with the account's current role; the cookie is replaced by the next one (rotation). A refresh token used twice ends its session (after a short grace for two tabs refreshing at once). A password change, a reset or disabling the account ends every session.
         */
        post: operations["StaffController_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out of the staff console: the session in the refresh cookie ends, the cookie is cleared */
        post: operations["StaffController_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your own password (the current one is required); every earlier token is refused, the answer is a new one
         * @description Every earlier console session ends. Also sets the staff_refresh cookie (HttpOnly, SameSite=Strict, Path=/api/auth): the staff console's session, for POST /api/auth/refresh.
         */
        post: operations["StaffController_changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StaffController_list"];
        put?: never;
        /** Add a staff member; answers a temporary password once */
        post: operations["StaffController_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a role, or disable/enable an account */
        patch: operations["StaffController_update"];
        trace?: never;
    };
    "/api/staff/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reset someone's password: answers a new temporary password once; their tokens are refused from now on */
        post: operations["StaffController_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first; filtered by staff member, action and dates */
        get: operations["StaffController_auditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-donations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Card donations taken by phone, newest first: open (not paid yet), complete or expired */
        get: operations["PhoneDonationsController_list"];
        put?: never;
        /** Record a donation taken on the phone line (cash, cheque, transfer), or send the caller a card link */
        post: operations["PhoneDonationsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-donations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A donation taken by phone: a card link (open, complete, expired) or a cash/cheque/transfer entry */
        get: operations["PhoneDonationsController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-donations/{id}/card-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email the caller the same card payment link again (audited; while it can be paid) */
        post: operations["PhoneDonationsController_resendLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ledger-entries/{id}/reversal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reverse a phone entry made in error: a negative entry beside it, with the reason */
        post: operations["CorrectionsController_reverse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ledger-entries/{id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Void your own phone cash, cheque or transfer entry, the same local day, until it is in a closed deposit
         * @description The reversal row of a reversal (audited; a receipt already emailed is followed by a correction email). Only the staff member who recorded the entry (403 VOID_NOT_OWN_ENTRY), only on the local day it was taken (REPORT_TIME_ZONE; 409 VOID_WINDOW_CLOSED after), not once its deposit is closed (409 ENTRY_DEPOSITED); after that, finance reverses it.
         */
        post: operations["CorrectionsController_void"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ledger-entries/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund an online payment (all or part) through Stripe; the ledger follows through the webhook */
        post: operations["CorrectionsController_refund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find a supporter before creating a duplicate: exact email or phone first */
        get: operations["SupportersController_search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A supporter: details, payments, subscriptions, former emails, merged records */
        get: operations["SupportersController_record"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a supporter's name, email, phones, address, notes or receipts (audited) */
        patch: operations["SupportersController_update"];
        trace?: never;
    };
    "/api/supporters/{id}/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Likely duplicates: the same phone, the same email, or the same name and postcode */
        get: operations["SupportersController_duplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Merge another supporter into this one (audited; the ledger is unchanged) */
        post: operations["SupportersController_merge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters/{id}/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Emails sent to a supporter and staff actions about them (and records merged into them), newest first, 100 of each; no bodies or snapshots (not an export) */
        get: operations["PrivacyController_activity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything held about a supporter as JSON: record, payments, subscriptions, checkouts, emails sent, audit entries about them, and the same for each record merged into them under `merged`; a merged id answers its survivor (audited) */
        get: operations["PrivacyController_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/supporters/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erase a supporter's personal data on request, with every record merged into them (a merged id erases its survivor's whole group) (audited; idempotent): tombstones, Stripe customers deleted, emails and audit snapshots scrubbed; ledger and totals unchanged */
        post: operations["PrivacyController_erase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subscription taken by phone: its card link (open, complete, expired) */
        get: operations["PhoneSubscriptionsController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-subscriptions/{id}/card-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email the caller the same subscription payment link again (audited; while it can be paid) */
        post: operations["PhoneSubscriptionsController_resendLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a digital/print subscription for a caller: a Checkout link, emailed to them */
        post: operations["PhoneSubscriptionsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Money in per day, week (ISO, from Monday) or month, in the organisation time zone
         * @description Per period and in total: gross (payments), fees, net (gross − refunds − disputes − fees), refunds (incl. reversals) and disputes (lost less won back) as positive amounts, counts; split byType and byChannel; `channel` keeps one channel only. from/to are local dates, to included; the first and last periods are clipped to the range. Minor units.
         */
        get: operations["ReportsController_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/summary.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The summary as CSV: one line per period, type and channel */
        get: operations["ReportsController_summaryCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/ledger.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every ledger entry in the range, oldest first, streamed as CSV
         * @description Columns: id, occurred_at (UTC), local_date, kind, type, channel, method, currency, gross, fee, net (minor units), supporter, campaign, reference, description, Stripe ids, reverses_entry_id, staff_id, recorded_at.
         */
        get: operations["ReportsController_ledgerCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/recurring": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recurring revenue: active subscribers by tier and monthly donors, MRR (monthly equivalent), started, ended and churn per month */
        get: operations["ReportsController_recurring"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/recurring.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recurring revenue per month and segment as CSV */
        get: operations["ReportsController_recurringCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/supporters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Supporters per period (givers, new, returning), the top supporters of the range, and how many lapsed */
        get: operations["ReportsController_supporters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/supporters.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Givers, new and returning per period as CSV */
        get: operations["ReportsController_supportersCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/top-supporters.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The top supporters of the range (given net of refunds) as CSV */
        get: operations["ReportsController_topSupportersCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/lapsed-supporters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Supporters who gave the year before `year` (local) and not in it */
        get: operations["ReportsController_lapsed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/lapsed-supporters.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lapsed supporters as CSV (whom to ask again) */
        get: operations["ReportsController_lapsedCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/print-mailing-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Print subscribers entitled to the edition now, with their delivery addresses */
        get: operations["ReportsController_mailingList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/print-mailing-list.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The print mailing list as CSV for the mailing house */
        get: operations["ReportsController_mailingListCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stripe payouts matched against the ledger
         * @description For each payout arriving in [from, to] (local dates) or the one `payout`: its balance transactions matched to ledger entries; differences listed as missing_in_ledger, amount_mismatch, fee_mismatch, payout_total_mismatch, and ledger entries of the covered time in none of the payouts (missing_in_stripe).
         */
        get: operations["ReportsController_reconcile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/reconciliation.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reconciliation differences as CSV */
        get: operations["ReportsController_reconcileCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/print-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The print runs, newest issue first */
        get: operations["PrintRunsController_list"];
        put?: never;
        /**
         * Record that an issue is going out to the print mailing list as it is now (audited)
         * @description One run per issueDate: the same date again answers the run recorded (created: false) and adds nothing. Each subscription in a run for the first time gets the print welcome (its first issue, dated issueDate, and the address it is posted to), once, through the outbox, if it has an email and email updates on. 400 VALIDATION_FAILED naming issueDate for a date that is not YYYY-MM-DD or not a real day.
         */
        post: operations["PrintRunsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/print-runs/{id}/recipients.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A print run's list for the mailing house (the print mailing list's columns), as it was */
        get: operations["PrintRunsController_recipientsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/offline-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a print or digital subscription paid in cash, by cheque or transfer (no email needed)
         * @description One `prepaid_subscription` ledger entry on the `phone` channel and an `offline` subscription: the tier's prepaid option (`months` left out or equal to it) at its price, other `months` at the monthly price. A payment while an offline subscription of the tier runs renews it from its end. Print needs a delivery address (given, the caller's, or the record's). Voiding or reversing the entry takes the months away.
         */
        post: operations["OfflineSubscriptionsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/complimentary-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grant a complimentary subscription (contributors, libraries, exchanges): no money, a reason, an end or none
         * @description Audited (`complimentary_subscription.grant`); on the print mailing list when print; counted apart in the recurring report (`complimentary`), never in MRR. One active per reader and tier (409 SUBSCRIPTION_ALREADY_ACTIVE).
         */
        post: operations["ComplimentarySubscriptionsController_grant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/complimentary-subscriptions/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End a complimentary subscription now (audited) */
        post: operations["ComplimentarySubscriptionsController_end"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/renewals-due": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Renewals due by post: readers without an email whose offline subscription ends within RENEWAL_REMINDER_DAYS */
        get: operations["RenewalsDueController_renewalsDue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/renewals-due.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Renewals due by post as CSV for the mailing house */
        get: operations["RenewalsDueController_renewalsDueCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deposits, newest first (at most 500) */
        get: operations["DepositsController_list"];
        put?: never;
        /** Open a bank deposit: it lists the phone cash and cheques in no deposit yet (`available`) with their totals */
        post: operations["DepositsController_open"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deposits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A deposit with its entries; open, also what is available to add */
        get: operations["DepositsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deposits/{id}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add cash and cheque entries to an open deposit
         * @description Each ledger entry is in one deposit at most (409 DEPOSIT_ENTRY_TAKEN); only phone cash and cheques, not voided or reversed (422 DEPOSIT_ENTRY_INELIGIBLE); a closed deposit refuses (409 DEPOSIT_CLOSED). Adding an entry already in this deposit changes nothing.
         */
        post: operations["DepositsController_addEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deposits/{id}/entries/{entryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take an entry out of an open deposit */
        delete: operations["DepositsController_removeEntry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deposits/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close a deposit with the bank's reference and the day it was banked; closed, it never changes */
        post: operations["DepositsController_close"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Closed deposits banked in [from, to] (their date), each with its entries */
        get: operations["DepositReportsController_deposits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/deposits.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The deposit report as CSV: one line per entry of each deposit */
        get: operations["DepositReportsController_depositsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/phone-reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Phone cash and cheques recorded per local day against what was deposited
         * @description Per local day and method: recorded, reversed (voids and reversals), deposited (closed deposits), inOpenDeposit, outstanding = recorded − reversed − deposited − inOpenDeposit; and bankedInRange, what the deposits banked in the range hold.
         */
        get: operations["DepositReportsController_phoneReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/phone-reconciliation.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Phone cash and cheques against deposits as CSV, one line per day and method */
        get: operations["DepositReportsController_phoneReconciliationCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/statements/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email every giver of an ended financial year their giving statement (PDF attached), once
         * @description Everyone who made a payment in the year (merged records as one person) is sent the statement once, however often this is called; those already sent it (by an earlier call or on their own request) are counted in `alreadySent`. Readers who turned non-essential email off, and supporters without an email address, are skipped. Audited.
         */
        post: operations["StatementsController_bulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/statements/{supporterId}/{year}.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A supporter's giving statement of a financial year, as a PDF
         * @description The year is named by the year it ends (2026 = 1 July 2025 to 30 June 2026); the current year gives the statement so far. A merged record gives the statement of the person it was merged into.
         */
        get: operations["StatementsController_pdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The webhook inbox's backlog: pending and parked counts, the lag, and the parked events */
        get: operations["WebhooksAdminController_backlog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/webhooks/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a parked event: due again now, attempts from 0 (as `npm run webhooks:replay`); audited
         * @description Idempotent: an event that is not parked (replayed already, or processed) is answered with `replayed: false` and nothing changes. Effects of processing are idempotent too.
         */
        post: operations["WebhooksAdminController_replay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stripe/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stripe's webhook endpoint
         * @description Verifies the Stripe-Signature header against the raw body and stores the event once by id; answers 200 once it is stored (the worker processes it).
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "stripe-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Event stored (and processed, or queued for processing) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookReceiptDto"];
                    };
                };
                /** @description Missing or invalid Stripe-Signature, or a body that is not a Stripe event */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description The database cannot be reached: Stripe retries */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        HealthDto: {
            /** @enum {string} */
            status: "ok";
        };
        CreateDonationDto: {
            /**
             * @description Amount in minor units (cents), within the configured bounds
             * @example 2500
             */
            amount: number;
            /** @enum {string} */
            frequency: "one_off" | "monthly";
            /** @example reader@example.com */
            email: string;
            /** @example Jenny Rosen */
            name?: string;
            /**
             * @description Campaign slug; the current campaign when omitted. A named campaign must be running: 422 CAMPAIGN_ENDED after its end, CAMPAIGN_NOT_STARTED before its start
             * @example fighting-fund
             */
            campaign?: string;
        };
        CheckoutCreatedDto: {
            /** Format: uuid */
            id: string;
            /** @description Where to send the reader to pay (Stripe Checkout) */
            checkoutUrl: string;
        };
        CheckoutStatusDto: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "creating" | "open" | "complete" | "expired" | "failed";
            /** @enum {string} */
            frequency: "one_off" | "monthly";
            /** @description Minor units */
            amount: number;
            currency: string;
            campaign: string | null;
            /** Format: date-time */
            completedAt: string | null;
        };
        CampaignProgressDto: {
            /** @example fighting-fund */
            slug: string;
            /** @example Fighting fund */
            title: string;
            /** @example AUD */
            currency: string;
            /**
             * @description Target in minor units
             * @example 25000000
             */
            target: number;
            /**
             * @description Gross given toward the campaign, minus refunds and lost disputes, in minor units
             * @example 1234500
             */
            raised: number;
            /**
             * @description raised / target × 100, rounded down to two decimals (may exceed 100)
             * @example 4.93
             */
            percent: number;
            /**
             * @description Distinct supporters who gave toward the campaign
             * @example 321
             */
            supporters: number;
            /**
             * Format: date-time
             * @example null
             */
            endsAt: string | null;
            /**
             * @description raised and target as the embeddable bar words them (en-AU, whole amounts without cents)
             * @example $12,345 raised of $250,000
             */
            sentence: string;
        };
        CampaignDto: {
            id: string;
            slug: string;
            title: string;
            currency: string;
            /** @description minor units */
            target: number;
            /** Format: date-time */
            startsAt: string;
            /** Format: date-time */
            endsAt: string | null;
            countedTypes: ("donation" | "monthly_donation" | "subscription" | "prepaid_subscription")[];
            current: boolean;
        };
        CreateCampaignDto: {
            /** Format: date-time */
            startsAt?: string;
            /**
             * Format: date-time
             * @description null: open-ended
             */
            endsAt?: string | null;
            /**
             * @description Ledger types that count toward raised
             * @example [
             *       "donation",
             *       "monthly_donation"
             *     ]
             */
            countedTypes?: ("donation" | "monthly_donation" | "subscription" | "prepaid_subscription")[];
            /** @description true makes this the site's current campaign (the previous one stops being current) */
            current?: boolean;
            /**
             * @description lowercase letters, digits and single hyphens; not `current`
             * @example fighting-fund-2027
             */
            slug: string;
            /** @example Fighting fund 2027 */
            title: string;
            /**
             * @description Target in minor units
             * @example 25000000
             */
            target: number;
        };
        UpdateCampaignDto: {
            /** Format: date-time */
            startsAt?: string;
            /**
             * Format: date-time
             * @description null: open-ended
             */
            endsAt?: string | null;
            /**
             * @description Ledger types that count toward raised
             * @example [
             *       "donation",
             *       "monthly_donation"
             *     ]
             */
            countedTypes?: ("donation" | "monthly_donation" | "subscription" | "prepaid_subscription")[];
            /** @description true makes this the site's current campaign (the previous one stops being current) */
            current?: boolean;
            /** @example Fighting fund 2027 */
            title?: string;
            /**
             * @description Target in minor units
             * @example 25000000
             */
            target?: number;
        };
        PrepaidOptionDto: {
            /** @example 12 */
            months: number;
            /**
             * @description Minor units
             * @example 6000
             */
            amount: number;
        };
        TierDto: {
            /** @example digital */
            code: string;
            /** @example Digital edition */
            name: string;
            description: string | null;
            /**
             * @description Minor units per month
             * @example 500
             */
            monthlyAmount: number;
            /** @example AUD */
            currency: string;
            prepaidOptions: components["schemas"]["PrepaidOptionDto"][];
            requiresDeliveryAddress: boolean;
            /**
             * @example [
             *       "digital"
             *     ]
             */
            includes: string[];
        };
        UpdateTierPriceDto: {
            /**
             * @description New monthly price in minor units; applies to new sign-ups only
             * @example 600
             */
            monthlyAmount: number;
            /**
             * @description Prepaid period price; default prepaidMonths × monthlyAmount
             * @example 7200
             */
            prepaidAmount?: number;
            /** @example 12 */
            prepaidMonths?: number;
        };
        AddressDto: {
            /** @example 1 Example St */
            line1: string;
            /** @example Unit 2 */
            line2?: string;
            /** @example Sydney */
            city: string;
            /** @example NSW */
            state: string;
            /** @example 2000 */
            postalCode: string;
            /**
             * @description ISO 3166-1 alpha-2
             * @example AU
             */
            country: string;
        };
        CreateSubscriptionDto: {
            /** @enum {string} */
            tier: "digital" | "print";
            /** @enum {string} */
            billing: "monthly" | "prepaid";
            /**
             * @description Prepaid period in months (one of the tier's prepaid options)
             * @example 12
             */
            months?: number;
            /** @example reader@example.com */
            email: string;
            /** @example Jenny Rosen */
            name: string;
            /** @description Required for print */
            deliveryAddress?: components["schemas"]["AddressDto"];
        };
        SubscriptionCheckoutDto: {
            /** Format: uuid */
            id: string;
            /** @description Where to send the reader to pay (Stripe Checkout) */
            checkoutUrl: string;
            /**
             * @description `created`: a new checkout; `reused`: the open checkout of an identical request (a double click, a retry), answered again; `replaced`: the open checkout had another name or delivery address, so it was expired on Stripe (its link can no longer be paid) and this new one carries the corrected details
             * @enum {string}
             */
            outcome: "created" | "reused" | "replaced";
            /**
             * Format: uuid
             * @description With `replaced`: the id of the checkout it replaced
             */
            replaces?: string;
        };
        EntitlementsQueryDto: {
            /** @example reader@example.com */
            email: string;
            /**
             * @description ISO instant to answer for (default now)
             * @example 2026-11-29T10:00:00Z
             */
            at?: string;
        };
        EntitlementDto: {
            /** @example digital */
            code: string;
            /**
             * Format: date-time
             * @description Access holds until this instant (inclusive of any grace); null: a complimentary subscription without an end
             */
            until: string | null;
            /**
             * @description Subscription status behind it
             * @example active
             */
            status: string;
            /**
             * @description Tier that grants it
             * @example print
             */
            tier: string;
            /** @enum {string} */
            billing: "monthly" | "prepaid" | "complimentary";
        };
        EntitlementsDto: {
            email: string;
            /** @description Active digital edition access (print includes digital) */
            digital: boolean;
            /** @description Active print subscription */
            print: boolean;
            entitlements: components["schemas"]["EntitlementDto"][];
            /**
             * Format: date-time
             * @description The instant the answer is for
             */
            at: string;
        };
        SelfServiceLinkDto: {
            /** @example reader@example.com */
            email: string;
        };
        LinkRequestedDto: {
            /** @example If we hold this email address, a link to manage your support is on its way. */
            message: string;
        };
        DeliveryAddressChangedDto: {
            /** @description the subscription */
            id: string;
            /** @example print */
            tier: string | null;
            deliveryAddress: components["schemas"]["AddressDto"];
        };
        LoginDto: {
            /** @example admin@example.org */
            email: string;
            password: string;
        };
        SignedInStaffDto: {
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "phone" | "finance" | "admin";
        };
        AccessTokenDto: {
            accessToken: string;
            /**
             * @description Seconds until it expires
             * @example 900
             */
            expiresIn: number;
            /** @description true: the password was temporary; this token is accepted only by POST /api/auth/password (elsewhere 403 PASSWORD_CHANGE_REQUIRED) */
            passwordChangeRequired: boolean;
            staff: components["schemas"]["SignedInStaffDto"];
        };
        ChangePasswordDto: {
            /** @description The password you signed in with (the temporary one, the first time) */
            currentPassword: string;
            /** @description 12 to 200 characters, not the current one */
            newPassword: string;
        };
        StaffDto: {
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "phone" | "finance" | "admin";
            disabled: boolean;
            /** @description Still on a temporary password (invitation or reset) */
            passwordChangeRequired: boolean;
            /** Format: date-time */
            createdAt: string;
        };
        CreateStaffDto: {
            /** @example phone1@example.org */
            email: string;
            /** @example Pat Phone */
            name: string;
            /** @enum {string} */
            role: "phone" | "finance" | "admin";
        };
        CreatedStaffDto: {
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "phone" | "finance" | "admin";
            disabled: boolean;
            /** @description Still on a temporary password (invitation or reset) */
            passwordChangeRequired: boolean;
            /** Format: date-time */
            createdAt: string;
            /** @description A temporary password, shown once: give it to the person, who signs in with it and must then choose their own */
            temporaryPassword: string;
        };
        UpdateStaffDto: {
            /** @enum {string} */
            role?: "phone" | "finance" | "admin";
            /** @description true disables sign-in and revokes current tokens */
            disabled?: boolean;
        };
        AuditLogEntryDto: {
            /** @example 1042 */
            id: string;
            /**
             * Format: uuid
             * @description null for system and CLI actions
             */
            staffId: string | null;
            /**
             * @description the staff member's email, or system / cli
             * @example admin@example.org
             */
            actor: string;
            /** @example tier.price_change */
            action: string;
            /** @example tier */
            entityType: string | null;
            /** @example digital */
            entityId: string | null;
            before: {
                [key: string]: unknown;
            } | null;
            after: {
                [key: string]: unknown;
            } | null;
            ip: string | null;
            requestId: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        PhoneDonationStatusDto: {
            /** @description the checkout (card: a UUID) or the ledger entry (cash, cheque, transfer: a number) */
            id: string;
            /** @enum {string} */
            purpose: "donation" | "subscription";
            /** @enum {string} */
            method: "card" | "cash" | "cheque" | "bank_transfer";
            /**
             * @description card: `open` (the caller has not paid yet; the link can be sent again), `complete` (paid), `expired` (the link can no longer be paid: take it again for a new link). Cash, cheque, transfer: `recorded`, or `voided` once reversed
             * @enum {string}
             */
            status: "open" | "complete" | "expired" | "recorded" | "voided";
            /** @enum {string} */
            frequency: "one_off" | "monthly" | "prepaid";
            /**
             * @description minor units
             * @example 2500
             */
            amount: number;
            /** @example AUD */
            currency: string;
            /** @description card, while `open`: the link emailed to the caller */
            checkoutUrl?: Record<string, never> | null;
            /** @description card: the address the link was emailed to */
            email?: Record<string, never> | null;
            /**
             * Format: uuid
             * @description known once paid (card), or at once
             */
            supporterId?: Record<string, never> | null;
            /** @description subscriptions: the tier */
            tier?: Record<string, never> | null;
            /** @description card: how many times the link was emailed (the first and each resend) */
            linkSends: number;
            /** @description card: when the link was last emailed */
            lastSentAt?: Record<string, never> | null;
            /**
             * Format: uuid
             * @description the operator who took it
             */
            staffId?: Record<string, never> | null;
            createdAt: string;
            completedAt?: Record<string, never> | null;
        };
        PhoneDonationRecordedDto: {
            /**
             * @description the ledger entry
             * @example 1042
             */
            id: string;
            /** @enum {string} */
            method: "cash" | "cheque" | "bank_transfer";
            /** @enum {string} */
            status: "recorded";
            /**
             * @description minor units
             * @example 2500
             */
            amount: number;
            /** @example AUD */
            currency: string;
            /** Format: uuid */
            supporterId: string;
            /** @example spring-appeal */
            campaign: string | null;
            /** @example CHQ 004512 */
            reference: string | null;
            /** @description true: the receipt is on its way to the supporter's email (the outbox sends it); false: no email on file, or receipts turned off */
            receiptEmailed: boolean;
            /**
             * @description the receipt's number, in the receipts' own sequence (not the ledger id); issued whether or not it is emailed
             * @example 1042
             */
            receiptNumber: number;
        };
        PhoneCardLinkDto: {
            /** @description the checkout */
            id: string;
            /** @enum {string} */
            method: "card";
            /**
             * @description the link can be paid
             * @enum {string}
             */
            status: "open";
            /** @example https://checkout.stripe.com/c/pay/cs_test_123 */
            checkoutUrl: string;
            /**
             * @description the address the link was emailed to
             * @example caller@example.com
             */
            emailedTo: string;
            /**
             * @description minor units
             * @example 2500
             */
            amount: number;
            /** @example AUD */
            currency: string;
        };
        PhoneSupporterDto: {
            /**
             * @description required unless supporterId is given
             * @example Jenny Rosen
             */
            name?: string;
            /** @example jenny@example.com */
            email?: string;
            /**
             * @description stored as typed and in E.164 (region AU)
             * @example +61 2 5550 1234
             */
            phone?: string;
            address?: components["schemas"]["AddressDto"];
        };
        CreatePhoneDonationDto: {
            /** @description an existing supporter, in place of their details (a merged one: its survivor) */
            supporterId?: string;
            /** @description required unless supporterId is given */
            supporter?: components["schemas"]["PhoneSupporterDto"];
            /**
             * @description Minor units
             * @example 5000
             */
            amount: number;
            /** @enum {string} */
            method: "cash" | "cheque" | "bank_transfer" | "card";
            /**
             * @description monthly needs method card
             * @enum {string}
             */
            frequency?: "one_off" | "monthly";
            /**
             * @description Campaign slug; the current campaign when omitted. A named campaign must be running (422 CAMPAIGN_ENDED / CAMPAIGN_NOT_STARTED)
             * @example fighting-fund
             */
            campaign?: string;
            /** @description Cheque number, transfer reference… */
            reference?: string;
            note?: string;
        };
        ReversalDto: {
            /** @example entered twice by mistake */
            reason: string;
        };
        ReversalResult: {
            /**
             * @description the reversal entry
             * @example 1077
             */
            id: string;
            /**
             * @description the entry it reverses
             * @example 1042
             */
            reverses: string;
            /**
             * @description minor units (negative)
             * @example -5000
             */
            gross: number;
            /** @example AUD */
            currency: string;
            /** @description a receipt had been emailed for the entry: a correction email follows it */
            correctionEmailed: boolean;
        };
        RefundDto: {
            /**
             * @description Minor units; default: all that is left
             * @example 1000
             */
            amount?: number;
            /** @enum {string} */
            reason: "requested_by_customer" | "duplicate" | "fraudulent";
            note?: string;
        };
        RefundResultDto: {
            /** @example re_123 */
            refundId: string;
            /**
             * @description Stripe's refund status
             * @example succeeded
             */
            status: string | null;
            /**
             * @description refunded (minor units)
             * @example 2500
             */
            amount: number;
            /** @example AUD */
            currency: string;
            /**
             * @description the ledger entry of the payment refunded
             * @example 1042
             */
            payment: string;
        };
        SupporterPhoneDto: {
            /**
             * @description as typed
             * @example 02 5550 1111
             */
            number: string;
            /**
             * @description E.164; null if not valid
             * @example +61255501111
             */
            e164: string | null;
        };
        SupporterSearchResultDto: {
            id: string;
            name: string | null;
            email: string | null;
            phone: string | null;
            phones: components["schemas"]["SupporterPhoneDto"][];
            /** @description `{ line1, line2?, city, state, postalCode, country }` */
            address: {
                [key: string]: string;
            } | null;
            /**
             * @description why it matched, best first: exact email or phone, the start of a phone, name/email/street/postcode, a delivery address
             * @enum {string}
             */
            match: "email" | "phone" | "phone_prefix" | "details" | "delivery_address";
            /** @description minor units, all records merged into it included */
            totalGiven: number;
            createdAt: string;
        };
        PreviousEmailDto: {
            /** @example old@example.com */
            email: string;
            /** @example 2026-01-31T10:00:00.000Z */
            replacedAt: string;
        };
        MergedSupporterDto: {
            id: string;
            name: string | null;
            email: string | null;
            stripeCustomerId: string | null;
            mergedAt: string;
        };
        SupporterPaymentDto: {
            id: string;
            supporterId: string;
            kind: string;
            type: string;
            channel: string;
            method: string | null;
            /** @description minor units */
            gross: number;
            /** @description minor units */
            fee: number;
            /** @description minor units */
            net: number;
            currency: string;
            reference: string | null;
            description: string | null;
            occurredAt: string;
            reversesEntryId: string | null;
        };
        SupporterSubscriptionDto: {
            id: string;
            supporterId: string;
            kind: string;
            /** @enum {string} */
            billing: "monthly" | "prepaid" | "complimentary";
            /**
             * @description offline: paid in cash, by cheque or transfer
             * @enum {string}
             */
            origin: "stripe" | "offline" | "complimentary";
            /** @description why a complimentary subscription was granted */
            reason: string | null;
            tier: string | null;
            /** @description minor units */
            amount: number;
            currency: string;
            status: string;
            currentPeriodStart: string | null;
            currentPeriodEnd: string | null;
            cancelAtPeriodEnd: boolean;
            /** @description `{ line1, line2?, city, state, postalCode, country }` */
            deliveryAddress: {
                [key: string]: string;
            } | null;
        };
        SupporterRecordDto: {
            id: string;
            name: string | null;
            email: string | null;
            phones: components["schemas"]["SupporterPhoneDto"][];
            /** @description the first phone as typed */
            phone: string | null;
            /** @description `{ line1, line2?, city, state, postalCode, country }` */
            address: {
                [key: string]: string;
            } | null;
            notes: string | null;
            /** @description receipts are emailed */
            emailReceipts: boolean;
            /** @description this record's Stripe customer and those of records merged into it */
            stripeCustomerIds: string[];
            previousEmails: components["schemas"]["PreviousEmailDto"][];
            merged: components["schemas"]["MergedSupporterDto"][];
            /** @description the id asked for, when it was merged into this record */
            requestedId?: string;
            createdAt: string;
            updatedAt: string;
            payments: components["schemas"]["SupporterPaymentDto"][];
            subscriptions: components["schemas"]["SupporterSubscriptionDto"][];
        };
        UpdateSupporterDto: {
            /** @example Gwen Caller */
            name?: string;
            /**
             * @description the old address stays in the history; null removes it (a record needs a name or an email)
             * @example gwen@example.com
             */
            email?: string | null;
            /**
             * @description replaces every number on file; each as typed, stored in E.164 too (region AU)
             * @example [
             *       "02 5550 1111"
             *     ]
             */
            phones?: string[];
            /** @description the postal address; null removes it */
            address?: components["schemas"]["AddressDto"] | null;
            /** @description staff notes; null removes them */
            notes?: string | null;
            /** @description whether receipts are emailed */
            emailReceipts?: boolean;
        };
        SupporterDuplicateDto: {
            id: string;
            name: string | null;
            email: string | null;
            phones: components["schemas"]["SupporterPhoneDto"][];
            /** @description `{ line1, line2?, city, state, postalCode, country }` */
            address: {
                [key: string]: string;
            } | null;
            reasons: ("phone" | "email" | "name_postcode")[];
            createdAt: string;
        };
        MergeSupportersDto: {
            /** @description the supporter merged into this one (it then points here) */
            from: string;
        };
        SupporterMergeResultDto: {
            /** @description the survivor */
            id: string;
            from: string;
            /** @description false when it was merged already (a repeat changes nothing) */
            merged: boolean;
            supporter: components["schemas"]["SupporterRecordDto"];
        };
        ActivityEmailDto: {
            /** Format: uuid */
            id: string;
            /** @example receipt */
            kind: string;
            subject: string;
            /** @example sent */
            status: string;
            /** Format: date-time */
            sentAt: string | null;
            /** Format: date-time */
            createdAt: string;
            to: string;
        };
        ActivityAuditEntryDto: {
            id: string;
            /** Format: date-time */
            at: string;
            /** @example supporter.update */
            action: string;
            /** @description staff email, `system` or `cli` */
            actor: string;
            entityType: string | null;
            entityId: string | null;
        };
        SupporterActivityDto: {
            /** @description emails written to their addresses, newest first */
            emails: components["schemas"]["ActivityEmailDto"][];
            /** @description staff actions about them or their records, newest first */
            audit: components["schemas"]["ActivityAuditEntryDto"][];
        };
        ExportedPhoneDto: {
            /** @description as typed */
            number: string;
            e164: string | null;
        };
        ExportedFormerEmailDto: {
            email: string;
            /** Format: date-time */
            replacedAt: string;
        };
        ExportedSupporterDto: {
            /** Format: uuid */
            id: string;
            name: string | null;
            email: string | null;
            phone: string | null;
            address: {
                [key: string]: string;
            } | null;
            stripeCustomerId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: date-time
             * @description set once erased
             */
            erasedAt: string | null;
            notes: string | null;
            phones: components["schemas"]["ExportedPhoneDto"][];
            previousEmails: components["schemas"]["ExportedFormerEmailDto"][];
            /**
             * Format: uuid
             * @description the survivor this record was merged into (a record under `merged`)
             */
            mergedInto: string | null;
            /** Format: date-time */
            mergedAt: string | null;
        };
        ExportedPaymentDto: {
            id: string;
            /** @example payment */
            kind: string;
            /** @example donation */
            type: string;
            /** @example phone */
            channel: string;
            /** @example cheque */
            method: string;
            /** @description minor units */
            gross: number;
            /** @description minor units */
            fee: number;
            /** @description minor units */
            net: number;
            /** @example AUD */
            currency: string;
            campaignId: string | null;
            reference: string | null;
            description: string | null;
            reversesEntryId: string | null;
            stripeChargeId: string | null;
            stripeInvoiceId: string | null;
            stripeRefundId: string | null;
            /** Format: date-time */
            occurredAt: string;
            /** Format: date-time */
            recordedAt: string;
        };
        ExportedSubscriptionDto: {
            /** Format: uuid */
            id: string;
            /** @example subscription */
            kind: string;
            /** @example monthly */
            billing: string;
            tier: string | null;
            /** @description minor units */
            amount: number;
            currency: string;
            status: string;
            /** Format: date-time */
            currentPeriodStart: string | null;
            /** Format: date-time */
            currentPeriodEnd: string | null;
            cancelAtPeriodEnd: boolean;
            /** Format: date-time */
            canceledAt: string | null;
            /** Format: date-time */
            endedAt: string | null;
            deliveryAddress: {
                [key: string]: string;
            } | null;
            stripeSubscriptionId: string | null;
            stripeCustomerId: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        ExportedCheckoutDto: {
            /** Format: uuid */
            id: string;
            /** @example donation */
            purpose: string;
            /** @example one_off */
            frequency: string;
            /** @example online */
            channel: string;
            /** @description minor units */
            amount: number;
            currency: string;
            email: string;
            name: string | null;
            deliveryAddress: {
                [key: string]: string;
            } | null;
            tier: string | null;
            status: string;
            /** Format: date-time */
            createdAt: string;
        };
        ExportedEmailDto: {
            /** Format: uuid */
            id: string;
            /** @example receipt */
            kind: string;
            to: string;
            subject: string;
            body: string;
            /** @example sent */
            status: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            sentAt: string | null;
        };
        ExportedAuditEntryDto: {
            id: string;
            /** @description staff email, `system` or `cli` */
            actor: string;
            /** @example phone_donation.create */
            action: string;
            entityType: string | null;
            entityId: string | null;
            before: {
                [key: string]: unknown;
            } | null;
            after: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            createdAt: string;
        };
        ExportedPrintIssueDto: {
            /** Format: uuid */
            runId: string;
            /** @example 2026-12-05 */
            issueDate: string;
            /** Format: uuid */
            subscriptionId: string;
            name: string | null;
            email: string | null;
            address: {
                [key: string]: string;
            } | null;
        };
        ExportedRecordDto: {
            supporter: components["schemas"]["ExportedSupporterDto"];
            /** @description their ledger entries: payments, refunds, reversals */
            payments: components["schemas"]["ExportedPaymentDto"][];
            subscriptions: components["schemas"]["ExportedSubscriptionDto"][];
            /** @description what they asked to pay for, paid or not */
            checkouts: components["schemas"]["ExportedCheckoutDto"][];
            /** @description emails written to their addresses (current and former) */
            emails: components["schemas"]["ExportedEmailDto"][];
            /** @description staff actions about them or their records */
            auditEntries: components["schemas"]["ExportedAuditEntryDto"][];
            /** @description print issues posted to them (print runs), with the name, email and address each run kept */
            printIssues: components["schemas"]["ExportedPrintIssueDto"][];
        };
        SupporterExportDto: {
            supporter: components["schemas"]["ExportedSupporterDto"];
            /** @description their ledger entries: payments, refunds, reversals */
            payments: components["schemas"]["ExportedPaymentDto"][];
            subscriptions: components["schemas"]["ExportedSubscriptionDto"][];
            /** @description what they asked to pay for, paid or not */
            checkouts: components["schemas"]["ExportedCheckoutDto"][];
            /** @description emails written to their addresses (current and former) */
            emails: components["schemas"]["ExportedEmailDto"][];
            /** @description staff actions about them or their records */
            auditEntries: components["schemas"]["ExportedAuditEntryDto"][];
            /** @description print issues posted to them (print runs), with the name, email and address each run kept */
            printIssues: components["schemas"]["ExportedPrintIssueDto"][];
            /** Format: date-time */
            exportedAt: string;
            /**
             * Format: uuid
             * @description the id asked for, when it was a merged record: the export is of its survivor
             */
            requestedId?: string;
            /** @description the records merged into this one (duplicates of the same person), each with what is held under it */
            merged: components["schemas"]["ExportedRecordDto"][];
        };
        ErasureRequestDto: {
            /**
             * @description Why (kept in the audit log: no personal data here)
             * @example request by email of 3 March, identity checked by phone
             */
            reason: string;
        };
        ErasureResultDto: {
            /**
             * Format: uuid
             * @description the survivor: a merged id is erased with its whole group
             */
            supporterId: string;
            /**
             * Format: uuid
             * @description the id asked for, when it was a merged record
             */
            requestedId?: string;
            /** Format: date-time */
            erasedAt: string;
            /** @description true when the supporter had been erased before: nothing was done again */
            alreadyErased: boolean;
            /** @description the records this request erased: the supporter and those merged into it (not those erased before) */
            erasedSupporterIds: string[];
            /** @description Stripe customers this request deleted */
            stripeCustomersDeleted: string[];
            emailsScrubbed: number;
            checkoutsScrubbed: number;
            deliveryAddressesErased: number;
            auditEntriesScrubbed: number;
        };
        CreatePhoneSubscriptionDto: {
            /** @enum {string} */
            tier: "digital" | "print";
            /** @enum {string} */
            billing: "monthly" | "prepaid";
            /**
             * @description Prepaid period in months (one of the tier's prepaid options)
             * @example 12
             */
            months?: number;
            /** @description Required for print */
            deliveryAddress?: components["schemas"]["AddressDto"];
            /** @description an existing supporter, in place of email and name */
            supporterId?: string;
            /**
             * @description required unless supporterId is given
             * @example reader@example.com
             */
            email?: string;
            /**
             * @description required unless supporterId is given
             * @example Jenny Rosen
             */
            name?: string;
            /**
             * @description the caller's phone number, kept on their record (stored as typed and in E.164, region AU): a new caller's record is written when the link is sent; with supporterId, added to that record
             * @example +61 2 5550 1234
             */
            phone?: string;
        };
        FiguresDto: {
            /**
             * @description payments received, less corrections (minor units)
             * @example 2500
             */
            gross: number;
            /**
             * @description Stripe fees (minor units; returned fees negative)
             * @example 2500
             */
            fees: number;
            /**
             * @description gross − refunds − disputes − fees (minor units)
             * @example 2500
             */
            net: number;
            /**
             * @description refunded, a positive amount (minor units)
             * @example 2500
             */
            refunds: number;
            /**
             * @description entries reversed by staff, a positive amount (minor units)
             * @example 2500
             */
            corrections: number;
            /**
             * @description lost to disputes less won back, a positive amount (minor units)
             * @example 2500
             */
            disputes: number;
            /** @description number of payments */
            payments: number;
            refundCount: number;
            disputeCount: number;
            correctionCount: number;
        };
        SummaryPeriodDto: {
            /**
             * @description payments received, less corrections (minor units)
             * @example 2500
             */
            gross: number;
            /**
             * @description Stripe fees (minor units; returned fees negative)
             * @example 2500
             */
            fees: number;
            /**
             * @description gross − refunds − disputes − fees (minor units)
             * @example 2500
             */
            net: number;
            /**
             * @description refunded, a positive amount (minor units)
             * @example 2500
             */
            refunds: number;
            /**
             * @description entries reversed by staff, a positive amount (minor units)
             * @example 2500
             */
            corrections: number;
            /**
             * @description lost to disputes less won back, a positive amount (minor units)
             * @example 2500
             */
            disputes: number;
            /** @description number of payments */
            payments: number;
            refundCount: number;
            disputeCount: number;
            correctionCount: number;
            /** @description the same figures per ledger type (donation, subscription, …) */
            byType: {
                [key: string]: components["schemas"]["FiguresDto"];
            };
            /** @description the same figures per channel (online, phone, …) */
            byChannel: {
                [key: string]: components["schemas"]["FiguresDto"];
            };
            /**
             * @description 2026-03-14 (day), 2026-03-09 (week: its Monday), 2026-03 (month)
             * @example 2026-03
             */
            period: string;
            /**
             * @description first local day of the period (clipped to the range)
             * @example 2026-03-01
             */
            start: string;
            /**
             * @description last local day of the period, included (clipped to the range)
             * @example 2026-03-01
             */
            end: string;
        };
        SummaryFiguresDto: {
            /**
             * @description payments received, less corrections (minor units)
             * @example 2500
             */
            gross: number;
            /**
             * @description Stripe fees (minor units; returned fees negative)
             * @example 2500
             */
            fees: number;
            /**
             * @description gross − refunds − disputes − fees (minor units)
             * @example 2500
             */
            net: number;
            /**
             * @description refunded, a positive amount (minor units)
             * @example 2500
             */
            refunds: number;
            /**
             * @description entries reversed by staff, a positive amount (minor units)
             * @example 2500
             */
            corrections: number;
            /**
             * @description lost to disputes less won back, a positive amount (minor units)
             * @example 2500
             */
            disputes: number;
            /** @description number of payments */
            payments: number;
            refundCount: number;
            disputeCount: number;
            correctionCount: number;
            /** @description the same figures per ledger type (donation, subscription, …) */
            byType: {
                [key: string]: components["schemas"]["FiguresDto"];
            };
            /** @description the same figures per channel (online, phone, …) */
            byChannel: {
                [key: string]: components["schemas"]["FiguresDto"];
            };
        };
        SummaryReportDto: {
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            from: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            to: string;
            /** @enum {string} */
            interval: "day" | "week" | "month";
            /** @example Australia/Sydney */
            timeZone: string;
            /** @example AUD */
            currency: string;
            periods: components["schemas"]["SummaryPeriodDto"][];
            totals: components["schemas"]["SummaryFiguresDto"];
        };
        TierSubscribersDto: {
            /** @example digital */
            tier: string;
            /** @description billed monthly */
            monthly: number;
            /** @description prepaid, in their paid period */
            prepaid: number;
            total: number;
            /**
             * @description monthly equivalent (minor units)
             * @example 2500
             */
            mrr: number;
        };
        SubscribersNowDto: {
            byTier: components["schemas"]["TierSubscribersDto"][];
            total: number;
        };
        ComplimentaryTierDto: {
            /** @example print */
            tier: string;
            total: number;
        };
        ComplimentaryNowDto: {
            byTier: components["schemas"]["ComplimentaryTierDto"][];
            total: number;
        };
        MonthlyDonorsDto: {
            total: number;
            /**
             * @description monthly (minor units)
             * @example 2500
             */
            mrr: number;
        };
        RecurringRevenueDto: {
            /**
             * @description subscriptions, monthly equivalent (minor units)
             * @example 2500
             */
            subscriptions: number;
            /**
             * @description monthly donations (minor units)
             * @example 2500
             */
            monthlyDonations: number;
            /**
             * @description minor units
             * @example 2500
             */
            total: number;
        };
        SegmentMonthDto: {
            /**
             * @description a tier code, or monthly_donation
             * @example digital
             */
            segment: string;
            activeAtStart: number;
            started: number;
            ended: number;
            activeAtEnd: number;
            /**
             * @description ended ÷ active at the start, in percent (two decimals)
             * @example 2.5
             */
            churnRate: number;
            /**
             * @description MRR (monthly equivalent, minor units) of those active at the end of the month, or now for the current month
             * @example 2500
             */
            mrrAtEnd: number;
        };
        RecurringMonthDto: {
            /** @example 2026-03 */
            month: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            start: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            end: string;
            activeAtStart: number;
            started: number;
            ended: number;
            activeAtEnd: number;
            /**
             * @description percent (two decimals)
             * @example 2.5
             */
            churnRate: number;
            /**
             * @description MRR (monthly equivalent, minor units) at the end of the month, or now for the current month: the MRR-over-time series
             * @example 2500
             */
            mrrAtEnd: number;
            bySegment: components["schemas"]["SegmentMonthDto"][];
        };
        RecurringReportDto: {
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            from: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            to: string;
            /** @example Australia/Sydney */
            timeZone: string;
            /** @example AUD */
            currency: string;
            /**
             * Format: date-time
             * @example 2026-03-14T03:00:00.000Z
             */
            asOf: string;
            subscribers: components["schemas"]["SubscribersNowDto"];
            /** @description complimentary subscriptions, never in MRR or churn */
            complimentary: components["schemas"]["ComplimentaryNowDto"];
            monthlyDonors: components["schemas"]["MonthlyDonorsDto"];
            mrr: components["schemas"]["RecurringRevenueDto"];
            months: components["schemas"]["RecurringMonthDto"][];
        };
        SupportersPeriodDto: {
            /** @example 2026-03 */
            period: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            start: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            end: string;
            givers: number;
            /** @description whose first gift ever is in the period */
            new: number;
            returning: number;
        };
        TopSupporterDto: {
            /** @example 7f1c… */
            supporterId: string;
            name: string | null;
            email: string | null;
            /**
             * @description given in the range, net of refunds (minor units of the report currency)
             * @example 2500
             */
            given: number;
            payments: number;
            /**
             * Format: date-time
             * @example 2026-03-14T03:00:00.000Z
             */
            lastGiftAt: string | null;
        };
        LapsedCountDto: {
            /** @example 2026 */
            year: number;
            count: number;
            /** @example 2025 */
            gaveIn: number;
        };
        SupportersReportDto: {
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            from: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            to: string;
            /** @enum {string} */
            interval: "day" | "week" | "month";
            /** @example Australia/Sydney */
            timeZone: string;
            /** @example AUD */
            currency: string;
            periods: components["schemas"]["SupportersPeriodDto"][];
            top: components["schemas"]["TopSupporterDto"][];
            lapsed: components["schemas"]["LapsedCountDto"];
        };
        LapsedSupporterDto: {
            supporterId: string;
            name: string | null;
            email: string | null;
            phone: string | null;
            /**
             * @description given the year before (minor units of the deployment currency)
             * @example 2500
             */
            givenLastYear: number;
            gifts: number;
            /**
             * Format: date-time
             * @example 2026-03-14T03:00:00.000Z
             */
            lastGiftAt: string;
        };
        MailingListEntryDto: {
            subscriptionId: string;
            /** @example print */
            tier: string;
            name: string | null;
            email: string | null;
            /**
             * @description the delivery address as stored: line1, line2, city, state, postalCode, country
             * @example {
             *       "line1": "1 Example St",
             *       "city": "Sydney",
             *       "state": "NSW",
             *       "postalCode": "2000",
             *       "country": "AU"
             *     }
             */
            address: {
                [key: string]: string;
            } | null;
            /** @example active */
            status: string;
            /**
             * @example monthly
             * @enum {string}
             */
            billing: "monthly" | "prepaid" | "complimentary";
            /**
             * @description where the subscription came from (online, phone, offline, complimentary)
             * @example online
             */
            origin: string;
            /**
             * Format: date-time
             * @example 2026-03-14T03:00:00.000Z
             */
            paidUntil: string | null;
            /**
             * Format: date-time
             * @example 2026-03-14T03:00:00.000Z
             */
            since: string;
        };
        PayoutSumsDto: {
            /**
             * @description minor units
             * @example 2500
             */
            amount: number;
            /**
             * @description minor units
             * @example 2500
             */
            fee: number;
            /**
             * @description minor units
             * @example 2500
             */
            net: number;
        };
        MatchedTransactionDto: {
            /** @example txn_123 */
            balanceTransactionId: string;
            /**
             * @description ch_…, re_…, du_…
             * @example ch_123
             */
            source: string | null;
            /** @example charge */
            type: string;
            /**
             * @description Stripe's amount, equal to the ledger's (minor units)
             * @example 2500
             */
            amount: number;
            /**
             * @description Stripe's fee, equal to the ledger's (minor units)
             * @example 2500
             */
            fee: number;
            /**
             * @description the ledger entry whose amount matched: a charge's payment (refunds are asked against it), a refund's refund
             * @example 1042
             */
            entryId: string;
            ledgerEntryIds: string[];
            /** @description the supporter of the ledger entries, when known */
            supporterId: string | null;
        };
        ReconciliationDifferenceDto: {
            /** @enum {string} */
            problem: "missing_in_ledger" | "missing_in_stripe" | "amount_mismatch" | "fee_mismatch" | "payout_total_mismatch";
            /** @example po_123 */
            payoutId: string | null;
            /** @example txn_123 */
            balanceTransactionId: string | null;
            /**
             * @description ch_…, re_…, du_…
             * @example ch_123
             */
            source: string | null;
            /** @example charge */
            type: string | null;
            /** @description Stripe's amount (minor units) */
            stripeAmount: number | null;
            /** @description the ledger's amount (minor units) */
            ledgerAmount: number | null;
            /** @description Stripe's fee (minor units) */
            stripeFee: number | null;
            /** @description the ledger's fee (minor units) */
            ledgerFee: number | null;
            ledgerEntryIds: string[];
            /** @description the supporter of the ledger entries, when known */
            supporterId: string | null;
            note: string;
        };
        PayoutReconciliationDto: {
            /** @example po_123 */
            payoutId: string;
            /** @example paid */
            status: string;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            arrivalDate: string;
            /** @example AUD */
            currency: string;
            /**
             * @description the payout amount (minor units)
             * @example 2500
             */
            amount: number;
            transactions: number;
            matched: number;
            /** @description sums over the payout's transactions (minor units) */
            stripe: components["schemas"]["PayoutSumsDto"];
            /** @description the transactions that agree with the ledger */
            matchedTransactions: components["schemas"]["MatchedTransactionDto"][];
            differences: components["schemas"]["ReconciliationDifferenceDto"][];
        };
        ReconciliationReportDto: {
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            from: string | null;
            /**
             * @description a local date (REPORT_TIME_ZONE), YYYY-MM-DD
             * @example 2026-03-01
             */
            to: string | null;
            /** @example Australia/Sydney */
            timeZone: string;
            payouts: components["schemas"]["PayoutReconciliationDto"][];
            unmatchedLedgerEntries: components["schemas"]["ReconciliationDifferenceDto"][];
            uncheckedLedgerEntries: number;
            differences: number;
        };
        CreatePrintRunDto: {
            /**
             * @description the date of the issue, YYYY-MM-DD (one run per issue date)
             * @example 2026-12-05
             */
            issueDate: string;
            /**
             * @description the staff's own reference (at most 200 characters)
             * @example Issue 42
             */
            reference?: string;
        };
        PrintRunCreatedDto: {
            /** Format: uuid */
            id: string;
            /** @example 2026-12-05 */
            issueDate: string;
            reference: string | null;
            /** @description subscriptions the issue went to */
            recipients: number;
            /** @description of them, in a print run for the first time (their first issue) */
            firstIssues: number;
            /** Format: date-time */
            createdAt: string;
            /** @description welcome emails written to the outbox by this request (first issues with an email and email updates on) */
            welcomesQueued: number;
            /** @description false: a run for this issue date was already recorded; it is answered and nothing is added */
            created: boolean;
        };
        PrintRunDto: {
            /** Format: uuid */
            id: string;
            /** @example 2026-12-05 */
            issueDate: string;
            reference: string | null;
            /** @description subscriptions the issue went to */
            recipients: number;
            /** @description of them, in a print run for the first time (their first issue) */
            firstIssues: number;
            /** Format: date-time */
            createdAt: string;
        };
        CreateOfflineSubscriptionDto: {
            /** @description an existing supporter, in place of their details (a merged one: its survivor) */
            supporterId?: string;
            /** @description required unless supporterId is given */
            supporter?: components["schemas"]["PhoneSupporterDto"];
            /** @example print */
            tier: string;
            /**
             * @description months paid for; default the tier's prepaid option (at its price), other counts at the monthly price
             * @example 12
             */
            months?: number;
            /** @enum {string} */
            method: "cash" | "cheque" | "bank_transfer";
            /**
             * @description minor units: the amount received, checked against the price (422 OFFLINE_AMOUNT_MISMATCH)
             * @example 6000
             */
            amount?: number;
            /** @description where the print edition goes; default the caller's address given, the renewed subscription's, or the record's */
            deliveryAddress?: components["schemas"]["AddressDto"];
            /** @description Cheque number, transfer reference… */
            reference?: string;
            note?: string;
        };
        OfflineSubscriptionResultDto: {
            /** Format: uuid */
            subscriptionId: string;
            /** Format: uuid */
            supporterId: string;
            /** @enum {string} */
            origin: "offline" | "complimentary";
            /** @example print */
            tier: string;
            /** @example active */
            status: string;
            /** Format: date-time */
            startsAt: string;
            /**
             * Format: date-time
             * @description null: no end (complimentary)
             */
            endsAt: string | null;
            deliveryAddress: components["schemas"]["AddressDto"] | null;
            /**
             * @description the `prepaid_subscription` ledger entry (the receipt number)
             * @example 1042
             */
            entryId: string;
            /** @description true: this payment renewed a subscription that was still running (its end moved on) */
            renewed: boolean;
            /** @example 12 */
            months: number;
            /**
             * @description minor units
             * @example 6000
             */
            amount: number;
            /** @example AUD */
            currency: string;
            /** @enum {string} */
            method: "cash" | "cheque" | "bank_transfer";
            reference: string | null;
            /** @description a receipt was queued to the email on file */
            receiptEmailed: boolean;
            /**
             * @description the receipt's number, in the receipts' own sequence (not the ledger id); issued whether or not it is emailed
             * @example 1042
             */
            receiptNumber: number;
        };
        CreateComplimentarySubscriptionDto: {
            /** @description an existing supporter, in place of their details (a merged one: its survivor) */
            supporterId?: string;
            /** @description required unless supporterId is given */
            supporter?: components["schemas"]["PhoneSupporterDto"];
            /** @example digital */
            tier: string;
            /**
             * @description why: contributor, library, exchange…
             * @example contributor
             */
            reason: string;
            /**
             * @description the last local day (REPORT_TIME_ZONE) of access; left out: no end
             * @example 2026-12-31
             */
            endsOn?: string;
            /** @description print: where it goes; default the caller's or the record's address */
            deliveryAddress?: components["schemas"]["AddressDto"];
        };
        ComplimentarySubscriptionDto: {
            /** Format: uuid */
            subscriptionId: string;
            /** Format: uuid */
            supporterId: string;
            /** @enum {string} */
            origin: "offline" | "complimentary";
            /** @example print */
            tier: string;
            /** @example active */
            status: string;
            /** Format: date-time */
            startsAt: string;
            /**
             * Format: date-time
             * @description null: no end (complimentary)
             */
            endsAt: string | null;
            deliveryAddress: components["schemas"]["AddressDto"] | null;
            reason: string;
        };
        EndComplimentarySubscriptionDto: {
            /** @example contributor left */
            reason: string;
        };
        RenewalDueDto: {
            subscriptionId: string;
            /** Format: uuid */
            supporterId: string;
            name: string | null;
            phone: string | null;
            /** @example print */
            tier: string;
            /**
             * @description the last local day (REPORT_TIME_ZONE) paid for
             * @example 2026-11-30
             */
            lastDay: string;
            /** Format: date-time */
            endsAt: string;
            /** @description the delivery address as stored: line1, line2, city, state, postalCode, country */
            address: {
                [key: string]: string;
            } | null;
        };
        RenewalsDueDto: {
            /** Format: date-time */
            asOf: string;
            /** @description RENEWAL_REMINDER_DAYS: how far ahead */
            days: number;
            renewals: components["schemas"]["RenewalDueDto"][];
        };
        OpenDepositDto: {
            /** @example Monday banking, Westpac Newtown */
            note?: string;
        };
        DepositTotalsDto: {
            /** @example 3 */
            count: number;
            /**
             * @description minor units
             * @example 15000
             */
            total: number;
            /**
             * @description of which cash, minor units
             * @example 5000
             */
            cash: number;
            /**
             * @description of which cheques, minor units
             * @example 10000
             */
            cheque: number;
        };
        DepositEntryDto: {
            /**
             * @description ledger entry id
             * @example 1042
             */
            id: string;
            /** @example 2026-11-02T03:14:00.000Z */
            occurredAt: string;
            /**
             * @description the local day (REPORT_TIME_ZONE) it was taken
             * @example 2026-11-02
             */
            localDate: string;
            /** @enum {string} */
            method: "cash" | "cheque";
            /**
             * @description minor units
             * @example 5000
             */
            amount: number;
            /** @example AUD */
            currency: string;
            /** @example CHQ 004512 */
            reference: string | null;
            supporterId: string | null;
            supporterName: string | null;
            /** @description the operator who took it */
            staffId: string | null;
        };
        UndepositedDto: {
            entries: components["schemas"]["DepositEntryDto"][];
            totals: components["schemas"]["DepositTotalsDto"];
        };
        DepositDto: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "open" | "closed";
            /** @example AUD */
            currency: string;
            note: string | null;
            bankReference: string | null;
            /** @example 2026-11-03 */
            depositedOn: string | null;
            openedBy: string | null;
            openedAt: string;
            closedBy: string | null;
            closedAt: string | null;
            totals: components["schemas"]["DepositTotalsDto"];
            /** @description the entries picked for this deposit */
            entries: components["schemas"]["DepositEntryDto"][];
            /** @description open deposits only: the cash and cheques in no deposit yet, to pick from */
            available?: components["schemas"]["UndepositedDto"];
        };
        DepositSummaryDto: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "open" | "closed";
            /** @example AUD */
            currency: string;
            note: string | null;
            bankReference: string | null;
            /** @example 2026-11-03 */
            depositedOn: string | null;
            openedBy: string | null;
            openedAt: string;
            closedBy: string | null;
            closedAt: string | null;
            totals: components["schemas"]["DepositTotalsDto"];
        };
        DepositEntriesDto: {
            /**
             * @description ledger entry ids (cash or cheque, phone)
             * @example [
             *       "1042",
             *       "1043"
             *     ]
             */
            entryIds: string[];
        };
        CloseDepositDto: {
            /**
             * @description the bank's reference for the deposit
             * @example WBC-DEP-20261103-01
             */
            bankReference: string;
            /**
             * @description the day the money was banked, YYYY-MM-DD
             * @example 2026-11-03
             */
            depositedOn: string;
        };
        DepositReportDto: {
            /** @example 2026-11-01 */
            from: string;
            /** @example 2026-11-30 */
            to: string;
            /** @example Australia/Sydney */
            timeZone: string;
            /** @example AUD */
            currency: string;
            /** @description closed deposits banked in the range, each with its entries */
            deposits: components["schemas"]["DepositDto"][];
            totals: components["schemas"]["DepositTotalsDto"];
        };
        PhoneMoneyDayDto: {
            /**
             * @description entries taken
             * @example 4
             */
            count: number;
            /**
             * @description taken (minor units)
             * @example 20000
             */
            recorded: number;
            /**
             * @description of it voided or reversed
             * @example 5000
             */
            reversed: number;
            /**
             * @description of it in a closed deposit (banked)
             * @example 10000
             */
            deposited: number;
            /**
             * @description of it in a deposit still open
             * @example 0
             */
            inOpenDeposit: number;
            /**
             * @description recorded − reversed − deposited − inOpenDeposit: money still to bank (negative: a reversed entry was banked)
             * @example 5000
             */
            outstanding: number;
            /**
             * @description the local day the money was taken
             * @example 2026-11-02
             */
            date: string;
            /** @enum {string} */
            method: "cash" | "cheque";
        };
        PhoneMoneyDto: {
            /**
             * @description entries taken
             * @example 4
             */
            count: number;
            /**
             * @description taken (minor units)
             * @example 20000
             */
            recorded: number;
            /**
             * @description of it voided or reversed
             * @example 5000
             */
            reversed: number;
            /**
             * @description of it in a closed deposit (banked)
             * @example 10000
             */
            deposited: number;
            /**
             * @description of it in a deposit still open
             * @example 0
             */
            inOpenDeposit: number;
            /**
             * @description recorded − reversed − deposited − inOpenDeposit: money still to bank (negative: a reversed entry was banked)
             * @example 5000
             */
            outstanding: number;
        };
        PhoneReconciliationDto: {
            /** @example 2026-11-01 */
            from: string;
            /** @example 2026-11-30 */
            to: string;
            /** @example Australia/Sydney */
            timeZone: string;
            /** @example AUD */
            currency: string;
            /** @description per local day and method, days with phone cash or cheques */
            days: components["schemas"]["PhoneMoneyDayDto"][];
            totals: components["schemas"]["PhoneMoneyDto"];
            /**
             * @description what the deposits banked in the range hold (by their date)
             * @example 10000
             */
            bankedInRange: number;
        };
        BulkStatementsDto: {
            /**
             * @description The financial year, named by the year it ends: 2026 is 1 July 2025 to 30 June 2026
             * @example 2026
             */
            year: number;
        };
        BulkStatementsResultDto: {
            /** @description The financial year (the year it ends) */
            year: number;
            /** @description Supporters who made a payment in the year (merged records as one) */
            givers: number;
            /** @description Statements queued now (emails with the PDF attached) */
            queued: number;
            /** @description Supporters already sent this year’s statement (by an earlier bulk send or on their request) */
            alreadySent: number;
            /** @description Skipped: no email address held (or erased) */
            skippedNoEmail: number;
            /** @description Skipped: the reader turned off non-essential email */
            skippedOptedOut: number;
        };
        ParkedWebhookEventDto: {
            /** @example evt_1QxYz */
            id: string;
            /** @example charge.refunded */
            type: string;
            /**
             * @description the last attempt’s failure
             * @example Error: boom
             */
            lastError: string | null;
            /** @description attempts made */
            attempts: number;
            /** @description deliveries received from Stripe (redeliveries counted) */
            deliveries: number;
            /** Format: date-time */
            receivedAt: string;
        };
        WebhookBacklogDto: {
            /** @description events waiting to be processed (due now or retried later) */
            pending: number;
            /** @description events parked after their last attempt failed */
            parked: number;
            /** @description seconds the oldest pending event has waited (0 when none waits; parked ones are not lag) */
            lagSeconds: number;
            /** @description parked events, oldest first (at most 200) */
            parkedEvents: components["schemas"]["ParkedWebhookEventDto"][];
        };
        WebhookReplayDto: {
            /** @example evt_1QxYz */
            id: string;
            /** @example charge.refunded */
            type: string;
            /** @description true: the parked event is due again now (the worker processes it); false: it was not parked (already replayed or processed), nothing changed */
            replayed: boolean;
            /** @description processed already (a replay of a processed event changes nothing) */
            processed: boolean;
        };
        FieldErrorDto: {
            /** @example amount */
            field: string;
            /** @example amount must be an integer number of minor units (cents) */
            message: string;
        };
        ErrorResponse: {
            /**
             * @description the HTTP status, again
             * @example 400
             */
            statusCode: number;
            /**
             * @description the status's reason phrase
             * @example Bad Request
             */
            error: string;
            /** @example amount must be an integer number of minor units (cents) */
            message: string;
            /**
             * @description stable machine-readable code (`ErrorCodes` in libs/common/src/domain-error.ts)
             * @example VALIDATION_FAILED
             */
            code: string;
            /**
             * @description the request field at fault, when there is one
             * @example amount
             */
            field?: string;
            /** @description more about a 4xx: VALIDATION_FAILED lists every offending field; some domain errors give an object (e.g. the record to merge with) */
            details?: components["schemas"]["FieldErrorDto"][] | {
                [key: string]: unknown;
            };
            /**
             * Format: uuid
             * @description for 5xx: the id under which the failure was logged
             */
            errorId?: string;
        };
        WebhookReceiptDto: {
            /** @example evt_123 */
            eventId: string;
            /** @example checkout.session.completed */
            type: string;
            /** @description already received before (Stripe retried) */
            duplicate: boolean;
            /**
             * @description queued: the worker will process it; processed: it was
             * @enum {string}
             */
            status: "queued" | "processed";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
            /** @description The database does not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DonationsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDonationDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutCreatedDto"];
                };
            };
            /** @description Invalid body; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description RATE_LIMITED: too many requests from this address (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DonationsController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutStatusDto"];
                };
            };
        };
    };
    CampaignsController_progress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Campaign slug, or `current` for the site's current campaign */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignProgressDto"];
                };
            };
            /** @description No such campaign */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CampaignsController_stream: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Campaign slug, or `current` */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `event: progress` messages whose data is the progress JSON (CampaignProgressDto) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description TOO_MANY_STREAMS: this instance holds as many streams as it may (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CampaignsController_embedHtml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Campaign slug, or `current` */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page (ETag, If-None-Match → 304) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    CampaignsController_embedSvg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Campaign slug, or `current` */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An SVG image (ETag, If-None-Match → 304) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/svg+xml": string;
                };
            };
        };
    };
    CampaignsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDto"][];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CampaignsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCampaignDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CampaignsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CampaignsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCampaignDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_listTiers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TierDto"][];
                };
            };
        };
    };
    SubscriptionsController_updateTierPrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTierPriceDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TierDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSubscriptionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionCheckoutDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description RATE_LIMITED: too many requests from this address (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_entitlements: {
        parameters: {
            query: {
                email: string;
                /** @description ISO instant to answer for (default now) */
                at?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntitlementsDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no X-Api-Key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: an unknown X-Api-Key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_entitlementsByBody: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntitlementsQueryDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntitlementsDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no X-Api-Key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: an unknown X-Api-Key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_requestLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SelfServiceLinkDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkRequestedDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description RATE_LIMITED: too many requests from this address (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_changeAddress: {
        parameters: {
            query: {
                token: unknown;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddressDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryAddressChangedDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SubscriptionsController_portalPage: {
        parameters: {
            query: {
                /** @description The signed token of the emailed link (its credential) */
                token: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page whose form posts the token to POST /api/self-service/portal (the link is not used by this) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The link was used or has expired: a page offering a fresh one by email */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    SubscriptionsController_portal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @description The signed token of the emailed link (its credential) */
                    token: string;
                    /** @description The page's CSRF token (goes with its reader_csrf cookie) */
                    _csrf: string;
                };
            };
        };
        responses: {
            /** @description To the Stripe customer portal (a link works once: it is used by this) */
            303: {
                headers: {
                    /** @description the portal session's URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The CSRF token does not match the browser's cookie: the page again, with a fresh one (the link is not used) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The link was used or has expired: a page offering a fresh one by email */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    StaffController_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description TOO_MANY_ATTEMPTS after repeated failures for the account or address; RATE_LIMITED past the per-address request limit (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description No session, or it has ended: sign in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out (also when there was no session) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    StaffController_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffDto"][];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_invite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateStaffDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedStaffDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStaffDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedStaffDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StaffController_auditLog: {
        parameters: {
            query?: {
                limit?: string;
                /** @description id to page backwards from */
                before?: string;
                /** @description only this staff member's actions (their id) */
                staffId?: string;
                /** @description only this action (`campaign.update`), or every action of a kind (a prefix ending in a dot: `campaign.`) */
                action?: string;
                /** @description YYYY-MM-DD, inclusive, in the organisation's time zone */
                from?: string;
                /** @description YYYY-MM-DD, inclusive, in the organisation's time zone */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogEntryDto"][];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneDonationsController_list: {
        parameters: {
            query?: {
                /** @description only links with this status */
                status?: "open" | "complete" | "expired";
                /** @description how many, newest first (default 50, at most 200) */
                limit?: number;
                /** @description only the links the signed-in operator sent first ("true") */
                mine?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationStatusDto"][];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneDonationsController_create: {
        parameters: {
            query?: never;
            header: {
                /** @description Unique per donation taken; a retry sends the same key */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePhoneDonationDto"];
            };
        };
        responses: {
            /** @description Cash, cheque or transfer: the ledger entry recorded; card: the Checkout link to send the caller. A retry with the same key and body answers the first answer again (`Idempotent-Replayed: true`). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationRecordedDto"] | components["schemas"]["PhoneCardLinkDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The same key is still being processed: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneDonationsController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationStatusDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneDonationsController_resendLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationStatusDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `CARD_LINK_CLOSED`: the caller has paid, or the link expired */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `CARD_LINK_SEND_LIMIT`: the link was emailed too many times */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CorrectionsController_reverse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReversalDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReversalResult"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CorrectionsController_void: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReversalDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReversalResult"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    CorrectionsController_refund: {
        parameters: {
            query?: never;
            header: {
                /** @description Per staff account, kept for good: the same key and body answer the first refund again (even after Stripe forgot its own key); another body 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress 409 IDEMPOTENCY_REQUEST_IN_PROGRESS */
                "Idempotency-Key": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundResultDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SupportersController_search: {
        parameters: {
            query: {
                /** @description name, email, phone (any format), street or postcode */
                q: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterSearchResultDto"][];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SupportersController_record: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterRecordDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SupportersController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSupporterDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterRecordDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SupportersController_duplicates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterDuplicateDto"][];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    SupportersController_merge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MergeSupportersDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterMergeResultDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrivacyController_activity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterActivityDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrivacyController_export: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupporterExportDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrivacyController_erase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ErasureRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureResultDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneSubscriptionsController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationStatusDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneSubscriptionsController_resendLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneDonationStatusDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `CARD_LINK_CLOSED`: the caller has paid, or the link expired */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `CARD_LINK_SEND_LIMIT`: the link was emailed too many times */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PhoneSubscriptionsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePhoneSubscriptionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionCheckoutDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_summary: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
                interval: "day" | "week" | "month";
                /** @description only this channel (default: every channel) */
                channel?: "online" | "phone";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SummaryReportDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_summaryCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
                interval: "day" | "week" | "month";
                /** @description only this channel (default: every channel) */
                channel?: "online" | "phone";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_ledgerCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_recurring: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecurringReportDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_recurringCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_supporters: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
                interval: "day" | "week" | "month";
                /** @description how many top supporters (default 20, at most 500) */
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportersReportDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_supportersCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
                interval: "day" | "week" | "month";
                /** @description how many top supporters (default 20, at most 500) */
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_topSupportersCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
                interval: "day" | "week" | "month";
                /** @description how many top supporters (default 20, at most 500) */
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_lapsed: {
        parameters: {
            query: {
                /** @description the local year: supporters who gave the year before and not in this one */
                year: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LapsedSupporterDto"][];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_lapsedCsv: {
        parameters: {
            query: {
                /** @description the local year: supporters who gave the year before and not in this one */
                year: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_mailingList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailingListEntryDto"][];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_mailingListCsv: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_reconcile: {
        parameters: {
            query?: {
                /** @description payouts arriving from this local day (with `to`) */
                from?: string;
                /** @description payouts arriving up to this local day, included */
                to?: string;
                /** @description one payout instead of a date range */
                payout?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationReportDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ReportsController_reconcileCsv: {
        parameters: {
            query?: {
                /** @description payouts arriving from this local day (with `to`) */
                from?: string;
                /** @description payouts arriving up to this local day, included */
                to?: string;
                /** @description one payout instead of a date range */
                payout?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrintRunsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintRunDto"][];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrintRunsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePrintRunDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintRunCreatedDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PrintRunsController_recipientsCsv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    OfflineSubscriptionsController_create: {
        parameters: {
            query?: never;
            header: {
                /** @description Unique per payment taken; a retry sends the same key (per staff member, shared with phone donations) */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOfflineSubscriptionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfflineSubscriptionResultDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The same key is still being processed (retry), or a card subscription covers the tier */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The key was used for a different request, or amount is not the price */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ComplimentarySubscriptionsController_grant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateComplimentarySubscriptionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComplimentarySubscriptionDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ComplimentarySubscriptionsController_end: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndComplimentarySubscriptionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComplimentarySubscriptionDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    RenewalsDueController_renewalsDue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenewalsDueDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    RenewalsDueController_renewalsDueCsv: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_list: {
        parameters: {
            query?: {
                status?: "open" | "closed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositSummaryDto"][];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_open: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenDepositDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_addEntries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DepositEntriesDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_removeEntry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                entryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositsController_close: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CloseDepositDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositReportsController_deposits: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositReportDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositReportsController_depositsCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositReportsController_phoneReconciliation: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneReconciliationDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DepositReportsController_phoneReconciliationCsv: {
        parameters: {
            query: {
                /** @description first local day (organisation time zone), YYYY-MM-DD */
                from: string;
                /** @description last local day, included, YYYY-MM-DD */
                to: string;
                /** @description default: the deployment currency */
                currency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StatementsController_bulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkStatementsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkStatementsResultDto"];
                };
            };
            /** @description Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description STATEMENT_YEAR_NOT_ENDED: the year has not ended (field `year`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    StatementsController_pdf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                supporterId: string;
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The PDF (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description NOT_FOUND: no such supporter */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    WebhooksAdminController_backlog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookBacklogDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    WebhooksAdminController_replay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The Stripe event id (evt_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookReplayDto"];
                };
            };
            /** @description UNAUTHORIZED: no staff bearer token, or an invalid or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No event by that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
