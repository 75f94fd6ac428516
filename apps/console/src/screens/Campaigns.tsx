import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Problem } from '../components';
import { count, money } from '../format';
import { moneyText, parseMoney } from '../money-input';
import { useSession } from '../session';
import type { Campaign, CampaignProgress } from '../types';

/** How often the bars follow the ledger (the public progress is itself refreshed from memory). */
const POLL_MS = 5000;

/** The currency a new campaign is counted in: the API's (every campaign has the service's currency). */
const DEFAULT_CURRENCY = 'AUD';

/** A form field's text, trimmed ('' when absent). */
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** A date field (YYYY-MM-DD) as the start of that day, ISO 8601; undefined when empty. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

/** An amount the API would refuse anyway, named as the API names it (400 naming `target`). */
const badTarget = (message: string): ApiError => ({
  statusCode: 400,
  code: 'VALIDATION_FAILED',
  message,
  field: 'target',
});

/**
 * Campaigns with their live progress toward the target (finance and admin); an administrator
 * also creates them, edits them and makes one current.
 */
export function Campaigns() {
  const admin = useSession().staff?.role === 'admin';
  const [campaigns, setCampaigns] = useState<Campaign[]>();
  const [progress, setProgress] = useState<Record<string, CampaignProgress>>({});
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/campaigns');
    setCampaigns(data);
    setError(error);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!campaigns?.length) return;
    let live = true;
    const refresh = async () => {
      const answers = await Promise.all(
        campaigns.map((c) => api.GET('/api/campaigns/{slug}/progress', { params: { path: { slug: c.slug } } })),
      );
      if (!live) return;
      setProgress(Object.fromEntries(answers.flatMap(({ data }) => (data ? [[data.slug, data]] : []))));
    };
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [campaigns]);
  const changed = async (message: string) => {
    setNotice(message);
    await load();
  };
  return (
    <section aria-labelledby="campaigns-title">
      <h1 id="campaigns-title">Campaigns</h1>
      <Problem error={error} />
      {notice && (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {campaigns && campaigns.length === 0 && <p>No campaigns yet.</p>}
      <ul className="campaigns">
        {campaigns?.map((c) => {
          const p = progress[c.slug];
          const raised = p?.raised ?? 0;
          return (
            <li key={c.id} className="campaign">
              <h2>
                {c.title} {c.current && <span className="badge">current</span>}
              </h2>
              <p className="muted">/{c.slug}</p>
              <div
                className="bar"
                role="progressbar"
                aria-label={`${c.title}: progress`}
                aria-valuemin={0}
                aria-valuemax={c.target}
                aria-valuenow={Math.min(raised, c.target)}
                aria-valuetext={p ? `${money(raised, c.currency)} of ${money(c.target, c.currency)}` : 'loading'}
              >
                <span style={{ width: `${Math.min(100, p?.percent ?? 0)}%` }} />
              </div>
              <p data-campaign-raised={c.slug}>
                {p ? (
                  <>
                    {money(raised, c.currency)} raised of {money(c.target, c.currency)} ({p.percent}%), from{' '}
                    {count(p.supporters)} supporter{p.supporters === 1 ? '' : 's'}
                  </>
                ) : (
                  'Loading progress…'
                )}
              </p>
              {admin && <CampaignAdmin campaign={c} onChanged={changed} />}
            </li>
          );
        })}
      </ul>
      {admin && <NewCampaign currency={campaigns?.[0]?.currency ?? DEFAULT_CURRENCY} onCreated={changed} />}
    </section>
  );
}

/** Make current, and edit the title, target and end date (admin). */
function CampaignAdmin({ campaign: c, onChanged }: { campaign: Campaign; onChanged: (m: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  async function makeCurrent() {
    setBusy(true);
    const { data, error } = await api.PATCH('/api/campaigns/{slug}', {
      params: { path: { slug: c.slug } },
      body: { current: true },
    });
    setBusy(false);
    setError(error);
    if (data) await onChanged(`${data.title} is now the current campaign.`);
  }
  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = parseMoney(text(form, 'target'), c.currency);
    if (target === null) return setError(badTarget('target must be an amount such as 25000.00'));
    const ends = text(form, 'endsAt');
    setBusy(true);
    const { data, error } = await api.PATCH('/api/campaigns/{slug}', {
      params: { path: { slug: c.slug } },
      body: { title: text(form, 'title'), target, endsAt: ends ? dayStart(ends) : null },
    });
    setBusy(false);
    setError(error);
    if (data) {
      setEditing(false);
      await onChanged(`${data.title} saved: target ${money(data.target, data.currency)}.`);
    }
  }
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      setEditing(false);
      setError(undefined);
    }
  };
  return (
    <div className="campaign-admin">
      <div className="actions">
        {!c.current && (
          <button type="button" disabled={busy} onClick={() => void makeCurrent()}>
            Make “{c.title}” current
          </button>
        )}
        {!editing && (
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Edit “{c.title}”
          </button>
        )}
      </div>
      {editing && (
        <form onSubmit={(e) => void save(e)} onKeyDown={escape} noValidate aria-label={`Edit ${c.title}`}>
          <Field label="Title" name="title" defaultValue={c.title} required error={error} />
          <Field
            label={`Target (${c.currency})`}
            name="target"
            inputMode="decimal"
            defaultValue={moneyText(c.target, c.currency)}
            required
            error={error}
          />
          <Field
            label="Ends on"
            name="endsAt"
            type="date"
            hint="Leave empty for no end date"
            defaultValue={c.endsAt ? c.endsAt.slice(0, 10) : ''}
            error={error}
          />
          <Problem error={error} fields={['title', 'target', 'endsAt']} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {!editing && <Problem error={error} />}
    </div>
  );
}

/** Create a campaign (admin), optionally the current one. */
function NewCampaign({ currency, onCreated }: { currency: string; onCreated: (m: string) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    const target = parseMoney(text(form, 'target'), currency);
    if (target === null) return setError(badTarget('target must be an amount such as 25000.00'));
    setBusy(true);
    const { data, error } = await api.POST('/api/campaigns', {
      body: {
        slug: text(form, 'slug'),
        title: text(form, 'title'),
        target,
        startsAt: dayStart(text(form, 'startsAt')),
        endsAt: dayStart(text(form, 'endsAt')) ?? null,
        current: form.get('current') === 'on',
      },
    });
    setBusy(false);
    setError(error);
    if (data) {
      formElement.reset();
      await onCreated(
        `${data.title} created with a target of ${money(data.target, data.currency)}${data.current ? ', and made current' : ''}.`,
      );
    }
  }
  return (
    <>
      <h2 id="new-campaign">New campaign</h2>
      <form
        aria-labelledby="new-campaign"
        onSubmit={(e) => void create(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.currentTarget.reset();
            setError(undefined);
          }
        }}
        noValidate
      >
        <Field label="Title" name="title" autoComplete="off" required error={error} />
        <Field
          label="Slug"
          name="slug"
          autoComplete="off"
          hint="Lowercase letters, digits and hyphens: the address of its progress bar"
          required
          error={error}
        />
        <Field label={`Target (${currency})`} name="target" inputMode="decimal" required error={error} />
        <Field label="Starts on" name="startsAt" type="date" hint="Leave empty to start today" error={error} />
        <Field label="Ends on" name="endsAt" type="date" hint="Leave empty for no end date" error={error} />
        <div className="field checkbox">
          <input id="new-campaign-current" type="checkbox" name="current" />
          <label htmlFor="new-campaign-current">Make it the current campaign</label>
        </div>
        <Problem error={error} fields={['title', 'slug', 'target', 'startsAt', 'endsAt', 'current']} />
        <button type="submit" disabled={busy}>
          Create campaign
        </button>
      </form>
    </>
  );
}
