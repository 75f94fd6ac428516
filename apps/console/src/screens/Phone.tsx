import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { api, type ApiError, type Schemas } from '../api';
import { Field, Link, Problem } from '../components';
import { dateTime, money } from '../format';
import {
  addressFrom,
  amountText,
  checkAddress,
  fieldError,
  keyedPost,
  METHOD_NAMES,
  newKey,
  optional,
  parseAmount,
} from '../phone-kit';
import { AddressFields } from './AddressFields';

type SearchResult = Schemas['SupporterSearchResultDto'];
type Tier = Schemas['TierDto'];
type PhoneSupporter = Schemas['PhoneSupporterDto'];
type CardStatus = Schemas['PhoneDonationStatusDto'];
type Campaign = Schemas['CampaignDto'];

/** The campaigns a donation can be given to now (started, not ended): the current one first. */
export function runningCampaigns(all: readonly Campaign[], now = Date.now()): Campaign[] {
  const running = all.filter((c) => Date.parse(c.startsAt) <= now && (c.endsAt === null || Date.parse(c.endsAt) > now));
  return [...running.filter((c) => c.current), ...running.filter((c) => !c.current)];
}

/** Who is on the line: a record found, or a new caller's details (saved with the first thing recorded). */
interface Caller {
  id?: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string> | null;
  details?: PhoneSupporter;
}

/** Something recorded during this call, with what can still be done about it. */
interface Recorded {
  key: string;
  what: string;
  /** the ledger entry (cash, cheque, transfer): it can be voided the same day */
  entryId?: string;
  /** a card link: its checkout, and whether it is a donation's or a subscription's */
  card?: { id: string; purpose: 'donation' | 'subscription'; status?: CardStatus };
  voided?: string;
}

const SEARCH_DELAY_MS = 250;

/** One screen for the whole call: find or add the caller, take a donation or a subscription, correct a typo. */
export function Phone() {
  const [caller, setCaller] = useState<Caller>();
  const [recorded, setRecorded] = useState<Recorded[]>([]);
  const [tiers, setTiers] = useState<Tier[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>();
  useEffect(() => {
    void api.GET('/api/tiers').then(({ data }) => setTiers(data ?? []));
    void api.GET('/api/campaigns').then(({ data }) => setCampaigns(runningCampaigns(data ?? [])));
  }, []);

  /** The first record of a new caller creates them: from then on the call is about that record. */
  const savedAs = (supporterId: string) =>
    setCaller((c) => (c && !c.id ? { ...c, id: supporterId, details: undefined } : c));
  const add = (r: Recorded) => setRecorded((list) => [r, ...list.filter((x) => x.key !== r.key)]);
  const update = (key: string, change: Partial<Recorded>) =>
    setRecorded((list) => list.map((x) => (x.key === key ? { ...x, ...change } : x)));

  return (
    <section aria-labelledby="phone-title" className="phone">
      <h1 id="phone-title">Phone line</h1>
      <CallerPanel caller={caller} onChoose={setCaller} />
      {caller && (
        <>
          <DonationForm caller={caller} campaigns={campaigns} onRecorded={add} onSaved={savedAs} />
          <SubscriptionForm caller={caller} tiers={tiers} onRecorded={add} onSaved={savedAs} />
        </>
      )}
      <ThisCall recorded={recorded} onChange={update} />
    </section>
  );
}

function CallerPanel({ caller, onChoose }: { caller?: Caller; onChoose: (c?: Caller) => void }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<{ q: string; list: SearchResult[] }>();
  const [error, setError] = useState<ApiError>();
  const [adding, setAdding] = useState(false);
  const asked = useRef(0);

  async function search(text: string) {
    const mine = ++asked.current;
    const { data, error } = await api.GET('/api/supporters', { params: { query: { q: text } } });
    if (mine !== asked.current) return; // an older answer than the one on screen
    setError(error);
    setResults(data ? { q: text, list: data } : undefined);
  }
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      asked.current++;
      setResults(undefined);
      setError(undefined);
      return;
    }
    const timer = setTimeout(() => void search(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const choose = (s: SearchResult) => {
    onChoose({ id: s.id, name: s.name, email: s.email, phone: s.phone, address: s.address });
    setAdding(false);
  };
  const clear = () => {
    // The results go in the same render as the text (not after it, from the effect), and an answer
    // still on its way is ignored: Esc never leaves, or brings back, results for the old text.
    asked.current++;
    setQ('');
    setResults(undefined);
    setError(undefined);
    setAdding(false);
  };

  if (caller) {
    return (
      <div className="caller" role="region" aria-label="Caller">
        <h2>Caller: {caller.name ?? caller.email}</h2>
        <p>
          {[caller.email, caller.phone, caller.address?.postalCode].filter(Boolean).join(' · ') || 'No contact details'}
          {caller.id ? (
            <>
              {' · '}
              <Link to={`/supporters/${caller.id}`}>Open the supporter page</Link>
            </>
          ) : (
            ' · new caller: saved with the first payment recorded'
          )}
        </p>
        <button type="button" className="secondary" onClick={() => onChoose(undefined)}>
          Change caller
        </button>
      </div>
    );
  }

  return (
    <div className="caller" role="region" aria-label="Find the caller">
      <h2>Find the caller</h2>
      <form
        role="search"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim().length >= 2) void search(q.trim());
        }}
      >
        <Field
          label="Name, email, phone or postcode"
          name="q"
          type="search"
          autoComplete="off"
          hint="Results appear as you type. Esc clears."
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
            if (e.key === 'Escape') clear();
          }}
          error={error}
          autoFocus
        />
      </form>
      <Problem error={error} fields={['q']} />
      {results && (
        <table>
          <caption aria-live="polite">
            {results.list.length === 0
              ? `No supporter matches “${results.q}”.`
              : `${results.list.length} supporter${results.list.length === 1 ? '' : 's'} match “${results.q}”`}
          </caption>
          {results.list.length > 0 && (
            <>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Postcode</th>
                  <th scope="col">Given</th>
                  <th scope="col">
                    <span className="visually-hidden">Choose</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {results.list.map((s) => (
                  <tr key={s.id}>
                    <td>{s.name ?? '—'}</td>
                    <td>{s.email ?? '—'}</td>
                    <td>{s.phones.map((p) => p.number).join(', ') || '—'}</td>
                    <td>{s.address?.postalCode ?? '—'}</td>
                    <td className="num">{money(s.totalGiven, 'AUD')}</td>
                    <td>
                      <button type="button" onClick={() => choose(s)}>
                        Choose {s.name ?? s.email}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </>
          )}
        </table>
      )}
      {!adding ? (
        <button type="button" className="secondary" onClick={() => setAdding(true)}>
          New caller
        </button>
      ) : (
        <NewCallerForm q={q} onUse={onChoose} onCancel={() => setAdding(false)} />
      )}
    </div>
  );
}

/** A caller not on file: their details go with the first payment recorded, which creates the record. */
function NewCallerForm({ q, onUse, onCancel }: { q: string; onUse: (c: Caller) => void; onCancel: () => void }) {
  const [error, setError] = useState<ApiError>();
  const [withAddress, setWithAddress] = useState(false);
  const typed = q.trim();
  const looksLikeEmail = typed.includes('@');
  const looksLikePhone = /^[+\d][\d\s()-]{5,}$/.test(typed);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = optional(form, 'supporter.name');
    const email = optional(form, 'supporter.email');
    const phone = optional(form, 'supporter.phone');
    if (!name) return setError(fieldError('supporter.name', 'the caller’s name is required'));
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      return setError(fieldError('supporter.email', 'that email address does not look right'));
    }
    let address: PhoneSupporter['address'];
    if (withAddress) {
      address = addressFrom(form, 'supporter.address');
      const bad = checkAddress(address, 'supporter.address');
      if (bad) return setError(bad);
    }
    setError(undefined);
    const details: PhoneSupporter = { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    if (address) details.address = address;
    onUse({ name, email: email ?? null, phone: phone ?? null, address: address ? { ...address } : null, details });
  }
  return (
    <form
      aria-label="New caller"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h3>New caller</h3>
      <Field
        label="Name"
        name="supporter.name"
        autoComplete="off"
        required
        defaultValue={looksLikeEmail || looksLikePhone ? '' : typed}
        error={error}
        autoFocus
      />
      <Field
        label="Email"
        name="supporter.email"
        type="email"
        autoComplete="off"
        defaultValue={looksLikeEmail ? typed : ''}
        error={error}
      />
      <Field
        label="Phone"
        name="supporter.phone"
        type="tel"
        autoComplete="off"
        defaultValue={looksLikePhone ? typed : ''}
        error={error}
      />
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={withAddress} onChange={(e) => setWithAddress(e.target.checked)} /> Add a
          postal address
        </label>
      </div>
      {withAddress && <AddressFields prefix="supporter.address" legend="Postal address" error={error} required />}
      <Problem error={error} fields={['supporter.name', 'supporter.email', 'supporter.phone']} />
      <div className="actions">
        <button type="submit">Use this caller</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Who the request is about: the record's id, or the new caller's details. */
const callerPart = (c: Caller) => (c.id ? { supporterId: c.id } : { supporter: c.details! });

interface FormProps {
  caller: Caller;
  onRecorded: (r: Recorded) => void;
  onSaved: (supporterId: string) => void;
}

function DonationForm({ caller, campaigns, onRecorded, onSaved }: FormProps & { campaigns?: Campaign[] }) {
  const [key, setKey] = useState(newKey);
  const [method, setMethod] = useState('cheque');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = { method: useId(), frequency: useId(), campaign: useId() };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    const amount = parseAmount(String(form.get('amount') ?? ''));
    if (amount === undefined || amount <= 0) {
      return setError(fieldError('amount', 'amount must be dollars and cents, such as 50 or 50.00'));
    }
    const frequency = form.get('frequency') === 'monthly' ? 'monthly' : 'one_off';
    const chosen = String(form.get('method')) as Schemas['CreatePhoneDonationDto']['method'];
    const linkEmail = chosen === 'card' ? optional(form, 'supporter.email') : undefined;
    const who = callerPart(caller);
    // A card link goes to the email typed here: a new caller's details carry it, a record is updated with it.
    const supporter =
      'supporter' in who
        ? { ...who.supporter, ...(linkEmail ? { email: linkEmail } : {}) }
        : linkEmail && linkEmail !== caller.email
          ? { email: linkEmail }
          : undefined;
    const body: Schemas['CreatePhoneDonationDto'] = {
      ...('supporterId' in who ? { supporterId: who.supporterId } : {}),
      ...(supporter ? { supporter } : {}),
      amount,
      method: chosen,
      frequency,
      campaign: optional(form, 'campaign'),
      reference: optional(form, 'reference'),
      note: optional(form, 'note'),
    };
    const sentKey = key;
    setBusy(true);
    setDone(undefined);
    const { data, error } = await keyedPost(() =>
      api.POST('/api/phone-donations', { params: { header: { 'Idempotency-Key': sentKey } }, body }),
    );
    setBusy(false);
    setError(error);
    if (!data) return;
    const sum = money(data.amount, data.currency);
    let message: string;
    if (data.method === 'card') {
      message = `Emailed a card payment link for a ${frequency === 'monthly' ? 'monthly' : 'one-off'} donation of ${sum} to ${data.emailedTo} (reference ${data.id}).`;
      onRecorded({ key: sentKey, what: message, card: { id: data.id, purpose: 'donation' } });
    } else {
      message = `Recorded a ${sum} ${METHOD_NAMES[data.method]} donation from ${caller.name ?? caller.email}: entry ${data.id}, receipt number ${data.receiptNumber}${data.reference ? `, reference ${data.reference}` : ''}${data.campaign ? `, campaign ${data.campaign}` : ''}; ${data.receiptEmailed ? 'receipt emailed' : 'no receipt emailed (no email on file, or receipts turned off)'}.`;
      onRecorded({ key: sentKey, what: message, entryId: data.id });
      onSaved(data.supporterId);
    }
    setDone(message);
    if (sentKey === key) {
      formElement.reset();
      setMethod('cheque');
      setKey(newKey());
    }
  }

  return (
    <form
      aria-labelledby="donation-title"
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.currentTarget.reset();
          setMethod('cheque');
          setError(undefined);
        }
      }}
    >
      <h2 id="donation-title">Donation</h2>
      <Field
        label="Amount (AUD)"
        name="amount"
        inputMode="decimal"
        autoComplete="off"
        required
        error={error}
        autoFocus
      />
      <div className="field">
        <label htmlFor={ids.method}>Paid by</label>
        <select id={ids.method} name="method" value={method} onChange={(e) => setMethod(e.target.value)}>
          <option value="cash">Cash</option>
          <option value="cheque">Cheque</option>
          <option value="bank_transfer">Bank transfer</option>
          <option value="card">Card: email the caller a payment link</option>
        </select>
        {error?.field === 'method' && <p className="field-error">{error.message}</p>}
      </div>
      <fieldset>
        <legend>How often</legend>
        <label>
          <input type="radio" name="frequency" value="one_off" defaultChecked /> One-off
        </label>
        <label>
          <input type="radio" name="frequency" value="monthly" disabled={method !== 'card'} /> Monthly (card only)
        </label>
        {error?.field === 'frequency' && <p className="field-error">{error.message}</p>}
      </fieldset>
      {method === 'card' && (
        <Field
          label="Email for the card link"
          name="supporter.email"
          type="email"
          autoComplete="off"
          defaultValue={caller.email ?? ''}
          required
          error={error}
        />
      )}
      <div className="field">
        <label htmlFor={ids.campaign}>Campaign</label>
        <select
          id={ids.campaign}
          name="campaign"
          key={campaigns ? 'loaded' : 'loading'}
          defaultValue={campaigns?.[0]?.slug ?? ''}
          disabled={!campaigns}
          aria-invalid={error?.field === 'campaign' || undefined}
        >
          {!campaigns && <option value="">Loading campaigns…</option>}
          {campaigns?.length === 0 && <option value="">No campaign running</option>}
          {campaigns?.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.title}
              {c.current ? ' (current)' : ''}
            </option>
          ))}
        </select>
        {error?.field === 'campaign' && <p className="field-error">{error.message}</p>}
      </div>
      <Field label="Reference (cheque number, transfer reference)" name="reference" autoComplete="off" error={error} />
      <Field label="Note" name="note" autoComplete="off" error={error} />
      <Problem
        error={error}
        fields={['amount', 'method', 'frequency', 'campaign', 'reference', 'note', 'supporter.email']}
      />
      <button type="submit" aria-busy={busy}>
        {method === 'card' ? 'Email the card link' : 'Record donation'}
      </button>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </form>
  );
}

function SubscriptionForm({ caller, tiers, onRecorded, onSaved }: FormProps & { tiers: Tier[] }) {
  const [key, setKey] = useState(newKey);
  const [tierCode, setTierCode] = useState('');
  const [payment, setPayment] = useState('cheque');
  const [months, setMonths] = useState<number>();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = { tier: useId(), payment: useId(), months: useId() };
  const tier = tiers.find((t) => t.code === tierCode) ?? tiers[0];
  const card = payment === 'card_monthly' || payment === 'card_prepaid';
  const option = tier?.prepaidOptions.find((o) => o.months === months) ?? tier?.prepaidOptions[0];
  // The price of the period chosen: what the caller is asked for, and what the API checks.
  useEffect(() => {
    if (option) setAmount(amountText(option.amount));
  }, [tier?.code, option?.months, option?.amount]);
  if (!tier) return null;

  const reset = (formElement: HTMLFormElement) => {
    formElement.reset();
    setPayment('cheque');
    setError(undefined);
  };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    let deliveryAddress: Schemas['AddressDto'] | undefined;
    if (tier.requiresDeliveryAddress) {
      deliveryAddress = addressFrom(form, 'deliveryAddress');
      const bad = checkAddress(deliveryAddress, 'deliveryAddress');
      if (bad) return setError(bad);
    }
    const who = callerPart(caller);
    const sentKey = key;
    setBusy(true);
    setDone(undefined);
    let message: string | undefined;
    if (card) {
      const billing = payment === 'card_monthly' ? 'monthly' : 'prepaid';
      const linkEmail = optional(form, 'email');
      const body: Schemas['CreatePhoneSubscriptionDto'] = {
        // The tiers offered are the API's own (GET /api/tiers); the API checks again.
        tier: tier.code as Schemas['CreatePhoneSubscriptionDto']['tier'],
        billing,
        ...(billing === 'prepaid' && option ? { months: option.months } : {}),
        ...(deliveryAddress ? { deliveryAddress } : {}),
        ...('supporterId' in who && (!linkEmail || linkEmail === caller.email)
          ? { supporterId: who.supporterId }
          : { email: linkEmail, name: caller.name ?? undefined, ...(caller.phone ? { phone: caller.phone } : {}) }),
      };
      const { data, error } = await api.POST('/api/phone-subscriptions', { body });
      setError(error);
      if (data) {
        message = `Emailed a card payment link for a ${billing === 'monthly' ? 'monthly' : `${option?.months}-month`} ${tier.name} subscription to ${linkEmail ?? caller.email} (reference ${data.id}${data.outcome === 'reused' ? ', the link already sent' : ''}).`;
        onRecorded({ key: sentKey, what: message, card: { id: data.id, purpose: 'subscription' } });
      }
    } else {
      const minor = parseAmount(String(form.get('amount') ?? ''));
      if (minor === undefined || minor <= 0) {
        setBusy(false);
        return setError(fieldError('amount', 'amount must be dollars and cents, such as 60 or 60.00'));
      }
      const body: Schemas['CreateOfflineSubscriptionDto'] = {
        ...who,
        tier: tier.code,
        months: option?.months,
        method: payment as Schemas['CreateOfflineSubscriptionDto']['method'],
        amount: minor,
        ...(deliveryAddress ? { deliveryAddress } : {}),
        reference: optional(form, 'reference'),
        note: optional(form, 'note'),
      };
      const { data, error } = await keyedPost(() =>
        api.POST('/api/offline-subscriptions', { params: { header: { 'Idempotency-Key': sentKey } }, body }),
      );
      setError(error);
      if (data) {
        const where = data.deliveryAddress
          ? `; delivered to ${data.deliveryAddress.line1}, ${data.deliveryAddress.city} ${data.deliveryAddress.state} ${data.deliveryAddress.postalCode}`
          : '';
        message = `Recorded a ${data.months}-month ${tier.name} subscription paid by ${METHOD_NAMES[data.method]} (${money(data.amount, data.currency)}): entry ${data.entryId}, receipt number ${data.receiptNumber}, ${data.renewed ? 'renewed' : 'running'} until ${data.endsAt ? dateTime(data.endsAt) : 'no end'}${where}${data.receiptEmailed ? '; receipt emailed' : ''}.`;
        onRecorded({ key: sentKey, what: message, entryId: data.entryId });
        onSaved(data.supporterId);
      }
    }
    setBusy(false);
    if (message) {
      setDone(message);
      reset(formElement);
      setKey(newKey());
    }
  }

  return (
    <form
      aria-labelledby="subscription-title"
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') reset(e.currentTarget);
      }}
    >
      <h2 id="subscription-title">Subscription</h2>
      <div className="field">
        <label htmlFor={ids.tier}>Tier</label>
        <select id={ids.tier} name="tier" value={tier.code} onChange={(e) => setTierCode(e.target.value)}>
          {tiers.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name} ({money(t.monthlyAmount, t.currency)} a month)
            </option>
          ))}
        </select>
        {error?.field === 'tier' && <p className="field-error">{error.message}</p>}
      </div>
      <div className="field">
        <label htmlFor={ids.payment}>Paid by</label>
        <select id={ids.payment} name="payment" value={payment} onChange={(e) => setPayment(e.target.value)}>
          <option value="cash">Cash</option>
          <option value="cheque">Cheque</option>
          <option value="bank_transfer">Bank transfer</option>
          <option value="card_monthly">Card, monthly: email a payment link</option>
          <option value="card_prepaid">Card, prepaid: email a payment link</option>
        </select>
      </div>
      {payment !== 'card_monthly' && tier.prepaidOptions.length > 0 && (
        <div className="field">
          <label htmlFor={ids.months}>Period</label>
          <select
            id={ids.months}
            name="months"
            value={option?.months}
            onChange={(e) => setMonths(Number(e.target.value))}
          >
            {tier.prepaidOptions.map((o) => (
              <option key={o.months} value={o.months}>
                {o.months} months ({money(o.amount, tier.currency)})
              </option>
            ))}
          </select>
          {error?.field === 'months' && <p className="field-error">{error.message}</p>}
        </div>
      )}
      {!card && (
        <>
          <Field
            label="Amount received (AUD)"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={error}
          />
          <Field
            label="Reference (cheque number, transfer reference)"
            name="reference"
            autoComplete="off"
            error={error}
          />
          <Field label="Note" name="note" autoComplete="off" error={error} />
        </>
      )}
      {card && (
        <Field
          label="Email for the card link"
          name="email"
          type="email"
          autoComplete="off"
          defaultValue={caller.email ?? ''}
          required
          error={error}
        />
      )}
      {tier.requiresDeliveryAddress && (
        <AddressFields
          key={`${caller.id ?? 'new'}-${tier.code}`}
          prefix="deliveryAddress"
          legend="Delivery address (print)"
          error={error}
          initial={caller.address}
          required
        />
      )}
      <Problem
        error={error}
        fields={[
          'tier',
          'months',
          'amount',
          'reference',
          'note',
          'email',
          'deliveryAddress.line1',
          'deliveryAddress.line2',
          'deliveryAddress.city',
          'deliveryAddress.state',
          'deliveryAddress.postalCode',
        ]}
      />
      <button type="submit" aria-busy={busy}>
        {card ? 'Email the subscription link' : 'Record subscription'}
      </button>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </form>
  );
}

/** What was recorded during the call: card links' status (sent again while open), and voiding a typo. */
function ThisCall({
  recorded,
  onChange,
}: {
  recorded: Recorded[];
  onChange: (key: string, change: Partial<Recorded>) => void;
}) {
  if (!recorded.length) return null;
  return (
    <div role="region" aria-labelledby="this-call-title">
      <h2 id="this-call-title">Recorded during this call</h2>
      <ul className="this-call">
        {recorded.map((r) => (
          <li key={r.key} data-recorded={r.entryId ?? r.card?.id}>
            <p>{r.what}</p>
            {r.voided && <p className="badge">Voided: {r.voided}</p>}
            {r.entryId && !r.voided && (
              <VoidForm entryId={r.entryId} onVoided={(v) => onChange(r.key, { voided: v })} />
            )}
            {r.card && (
              <CardLink card={r.card} onStatus={(status) => onChange(r.key, { card: { ...r.card!, status } })} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function VoidForm({ entryId, onVoided }: { entryId: string; onVoided: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Void entry {entryId}
      </button>
    );
  }
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
    if (!reason) return setError(fieldError('reason', 'say why it is voided'));
    setBusy(true);
    const { data, error } = await api.POST('/api/ledger-entries/{id}/void', {
      params: { path: { id: entryId } },
      body: { reason },
    });
    setBusy(false);
    setError(error);
    if (data) {
      onVoided(
        `entry ${data.reverses} reversed by entry ${data.id} (${money(data.gross, data.currency)})${data.correctionEmailed ? '; a correction was emailed' : ''}`,
      );
    }
  }
  return (
    <form
      className="inline"
      aria-label={`Void entry ${entryId}`}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <Field label={`Why void entry ${entryId}`} name="reason" autoComplete="off" required error={error} autoFocus />
      <button type="submit" disabled={busy}>
        Void
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Keep it
      </button>
      <Problem error={error} fields={['reason']} />
    </form>
  );
}

const CARD_STATUS: Record<string, string> = {
  open: 'open: not paid yet',
  complete: 'paid',
  expired: 'expired: take it again for a new link',
};

function CardLink({ card, onStatus }: { card: NonNullable<Recorded['card']>; onStatus: (s: CardStatus) => void }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const check = async () => {
    const path = { params: { path: { id: card.id } } };
    const { data, error } =
      card.purpose === 'donation'
        ? await api.GET('/api/phone-donations/{id}', path)
        : await api.GET('/api/phone-subscriptions/{id}', path);
    setError(error);
    if (data) onStatus(data);
  };
  useEffect(() => {
    void check();
  }, [card.id]);
  async function resend() {
    setBusy(true);
    const path = { params: { path: { id: card.id } } };
    const { data, error } =
      card.purpose === 'donation'
        ? await api.POST('/api/phone-donations/{id}/card-link', path)
        : await api.POST('/api/phone-subscriptions/{id}/card-link', path);
    setBusy(false);
    setError(error);
    if (data) onStatus(data);
  }
  const s = card.status;
  return (
    <div className="card-link">
      <p data-card-status={s?.status ?? 'open'}>
        Card link: {CARD_STATUS[s?.status ?? 'open'] ?? s?.status}
        {s && s.linkSends > 0 && `; emailed ${s.linkSends} time${s.linkSends === 1 ? '' : 's'}`}
        {s?.lastSentAt ? `, last at ${dateTime(String(s.lastSentAt))}` : ''}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void check()}>
          Check the link’s status
        </button>
        {(!s || s.status === 'open') && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void resend()}>
            Send the link again
          </button>
        )}
      </div>
      <Problem error={error} />
    </div>
  );
}
