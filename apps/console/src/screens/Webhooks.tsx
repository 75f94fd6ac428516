import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError, type Schemas } from '../api';
import { Problem } from '../components';
import { count, dateTime } from '../format';

type Backlog = Schemas['WebhookBacklogDto'];

/** How often the counts follow the inbox. */
const POLL_MS = 5000;

/** Seconds as a person reads a wait: "42 s", "3 min 5 s", "2 h 10 min". */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The webhook inbox (admin): pending, parked and lag; parked events replayed one by one. */
export function Webhooks() {
  const [backlog, setBacklog] = useState<Backlog>();
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string>();
  /** A replay in flight: a second click before the button is disabled sends nothing (the API is idempotent too). */
  const inFlight = useRef(false);
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/admin/webhooks');
    if (data) setBacklog(data);
    setError(error);
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  async function replay(id: string) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(id);
    const { data, error } = await api.POST('/api/admin/webhooks/{id}/replay', { params: { path: { id } } });
    inFlight.current = false;
    setBusy(undefined);
    setError(error);
    if (data) {
      setNotice(
        data.replayed
          ? `${data.id} (${data.type}) will be processed again now.`
          : `${data.id} was not parked any more${data.processed ? ': it has been processed' : ''}; nothing changed.`,
      );
      await load();
    }
  }
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <Problem error={error} />
      {notice && (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {backlog && (
        <>
          <dl className="cards">
            <div className="card">
              <dt>Pending</dt>
              <dd data-webhooks="pending">{count(backlog.pending)}</dd>
            </div>
            <div className="card">
              <dt>Parked</dt>
              <dd data-webhooks="parked">{count(backlog.parked)}</dd>
            </div>
            <div className="card">
              <dt>Lag (oldest pending)</dt>
              <dd data-webhooks="lag">{duration(backlog.lagSeconds)}</dd>
            </div>
          </dl>
          {backlog.parkedEvents.length === 0 ? (
            <p>No parked events: every event was processed or is being retried.</p>
          ) : (
            <table>
              <caption>
                Parked events, oldest first: their attempts are spent; replay one when its cause is fixed
              </caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Type</th>
                  <th scope="col">Received</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">Replay</th>
                </tr>
              </thead>
              <tbody>
                {backlog.parkedEvents.map((e) => (
                  <tr key={e.id} data-parked-event={e.id}>
                    <td>
                      <code>{e.id}</code>
                    </td>
                    <td>{e.type}</td>
                    <td>{dateTime(e.receivedAt)}</td>
                    <td className="num">{count(e.attempts)}</td>
                    <td>{e.lastError ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="small"
                        disabled={busy !== undefined}
                        onClick={() => void replay(e.id)}
                      >
                        Replay {e.id}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
