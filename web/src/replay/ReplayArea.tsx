import { type FormEvent, useEffect, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { CorrectiveAction } from '../../../src/contract/hotwash.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { REPLAY_MAX_DAYS } from '../../../src/contract/replay.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { api, errorMessage } from '../shared/api.ts';
import type { TeamState } from '../shared/team-state.ts';
import { dateTime } from '../shared/time.ts';
import { ReplayPage } from './ReplayPage.tsx';
import { parseReplayRest } from './use-replay.ts';

interface Props {
  config: ClientConfig;
  state: TeamState;
  /** The address after `#/replay/`: an operation's id, or `window/FROM/TO`. */
  rest: string;
  me: Me;
}

/** `#/replay`: the operations to replay and a window of the team's time; `#/replay/…`: the replay itself. */
export function ReplayArea({ config, state, rest, me }: Props) {
  const source = parseReplayRest(rest);
  return (
    <main className="replay-area" data-testid="view-replay">
      {source ? (
        <ReplayPage key={rest} source={source} config={config} state={state} me={me} />
      ) : (
        <ReplayPicker />
      )}
    </main>
  );
}

const local = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

function ReplayPicker() {
  const [ops, setOps] = useState<Operation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState(() => local(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => local(Date.now()));
  const [open, setOpen] = useState<CorrectiveAction[]>([]);
  useEffect(() => {
    const abort = new AbortController();
    api<{ actions: CorrectiveAction[] }>('/api/corrective-actions?open=true', { signal: abort.signal })
      .then((r) => setOpen(r.actions))
      .catch((err) => !abort.signal.aborted && setError(errorMessage(err)));
    api<{ operations: Operation[] }>('/api/operations', { signal: abort.signal })
      .then((r) => setOps(r.operations.filter((o) => o.state !== 'planned')))
      .catch((err) => !abort.signal.aborted && setError(errorMessage(err)));
    return () => abort.abort();
  }, []);
  const openWindow = (e: FormEvent) => {
    e.preventDefault();
    const iso = (v: string) => encodeURIComponent(new Date(v).toISOString());
    window.location.hash = `#/replay/window/${iso(from)}/${iso(to)}`;
  };
  return (
    <div className="replay-picker" data-testid="replay-picker">
      <h2>Replay</h2>
      <p className="muted">Every member, alert and acknowledgement on one timeline.</p>
      {error && <p className="form-error">{error}</p>}
      {ops && ops.length === 0 && <p className="muted">No operation has run yet.</p>}
      {ops && ops.length > 0 && (
        <ul className="replay-ops">
          {ops.map((o) => (
            <li key={o.id} className={`replay-op kind-${o.kind}`}>
              <a href={`#/replay/${o.id}`} data-testid="replay-op">
                <strong>{o.kind === 'incident' ? 'REAL incident' : 'Exercise'}</strong> {o.name}
              </a>{' '}
              <span className="muted">
                {dateTime(o.startedAt ?? o.createdAt)} · {o.state}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open.length > 0 && (
        <section className="replay-open-actions" data-testid="open-actions">
          <h3>Open actions from hot washes</h3>
          <ul>
            {open.map((a) => (
              <li key={a.id}>
                <a href={`#/replay/${a.operationId}`}>{a.text}</a>{' '}
                <span className="muted">
                  {a.owner ?? 'no owner'}
                  {a.dueOn ? ` · due ${a.dueOn}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form className="replay-window" onSubmit={openWindow}>
        <h3>Any time window (up to {REPLAY_MAX_DAYS} days)</h3>
        <label>
          From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit">Replay this window</button>
      </form>
    </div>
  );
}
