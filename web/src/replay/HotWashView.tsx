import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { CorrectiveAction, HotWash } from '../../../src/contract/hotwash.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { api, errorMessage } from '../shared/api.ts';
import { date, dateTime } from '../shared/time.ts';

interface Props {
  operationId: string;
  me: Me;
  members: readonly Member[];
}

/** The hot wash of an operation: what went well, what to improve, and the corrective actions. */
export function HotWashView({ operationId, me, members }: Props) {
  const isLeader = me.role === 'leader';
  const path = `/api/operations/${operationId}/hotwash`;
  const [wash, setWash] = useState<HotWash | null>(null);
  const [draft, setDraft] = useState({ wentWell: '', toImprove: '' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(
    () =>
      api<HotWash>(path)
        .then((w) => {
          setWash(w);
          setDraft({ wentWell: w.wentWell, toImprove: w.toImprove });
        })
        .catch((e) => setError(errorMessage(e))),
    [path],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const edit = (next: typeof draft) => {
    setDraft(next);
    setSaved(false);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setWash(await api<HotWash>(path, { method: 'PUT', body: draft }));
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (!wash)
    return <div className="replay-stats">{error ? <p className="form-error">{error}</p> : 'Loading…'}</div>;
  return (
    <div className="replay-stats hotwash" data-testid="hotwash">
      <form onSubmit={save} className="hotwash-form">
        <div className="hotwash-notes">
          <NoteField
            label="What went well"
            value={draft.wentWell}
            readOnly={!isLeader}
            onChange={(wentWell) => edit({ ...draft, wentWell })}
            testId="hotwash-went-well"
          />
          <NoteField
            label="What to improve"
            value={draft.toImprove}
            readOnly={!isLeader}
            onChange={(toImprove) => edit({ ...draft, toImprove })}
            testId="hotwash-to-improve"
          />
        </div>
        <p className="muted">
          {wash.updatedAt
            ? `Written by ${wash.updatedBy ?? 'the admin'}, ${dateTime(wash.updatedAt)}`
            : 'Not written yet.'}
        </p>
        {isLeader && (
          <button type="submit" className="primary" data-testid="hotwash-save">
            {saved ? 'Saved' : 'Save the hot wash'}
          </button>
        )}
      </form>
      {error && <p className="form-error">{error}</p>}
      <h3>Corrective actions</h3>
      <ActionList actions={wash.actions} me={me} onChanged={load} onError={setError} />
      {isLeader && (
        <NewAction operationId={operationId} members={members} onAdded={load} onError={setError} />
      )}
    </div>
  );
}

function NoteField(p: {
  label: string;
  value: string;
  readOnly: boolean;
  onChange: (v: string) => void;
  testId: string;
}) {
  return (
    <label>
      {p.label}
      <textarea
        value={p.value}
        readOnly={p.readOnly}
        rows={5}
        maxLength={20_000}
        onChange={(e) => p.onChange(e.target.value)}
        data-testid={p.testId}
      />
    </label>
  );
}

function ActionList({
  actions,
  me,
  onChanged,
  onError,
}: {
  actions: readonly CorrectiveAction[];
  me: Me;
  onChanged: () => void;
  onError: (e: string) => void;
}) {
  if (actions.length === 0) return <p className="muted">No actions yet.</p>;
  const toggle = async (a: CorrectiveAction) => {
    try {
      await api(`/api/corrective-actions/${a.id}`, { method: 'PATCH', body: { done: a.doneAt === null } });
      onChanged();
    } catch (err) {
      onError(errorMessage(err));
    }
  };
  return (
    <ul className="hotwash-actions">
      {actions.map((a) => (
        <li key={a.id} data-testid="hotwash-action" data-done={a.doneAt !== null}>
          <label>
            <input
              type="checkbox"
              checked={a.doneAt !== null}
              disabled={!(me.role === 'leader' || a.ownerId === me.memberId)}
              onChange={() => void toggle(a)}
            />{' '}
            <span className={a.doneAt ? 'done' : ''}>{a.text}</span>
          </label>
          <span className="muted">
            {a.owner ?? 'no owner'}
            {a.dueOn ? ` · due ${a.dueOn}` : ''}
            {a.doneAt ? ` · done ${date(a.doneAt)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function NewAction({
  operationId,
  members,
  onAdded,
  onError,
}: {
  operationId: string;
  members: readonly Member[];
  onAdded: () => void;
  onError: (e: string) => void;
}) {
  const [text, setText] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [dueOn, setDueOn] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api(`/api/operations/${operationId}/corrective-actions`, {
        method: 'POST',
        body: { text, ownerId: ownerId || null, dueOn: dueOn || null },
      });
      setText('');
      onAdded();
    } catch (err) {
      onError(errorMessage(err));
    }
  };
  return (
    <form className="hotwash-new" onSubmit={add}>
      <label>
        Action
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          required
          maxLength={2000}
          data-testid="action-text"
        />
      </label>
      <label>
        Owner
        <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)} data-testid="action-owner">
          <option value="">nobody yet</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.callsign}
            </option>
          ))}
        </select>
      </label>
      <label>
        Due
        <input
          type="date"
          value={dueOn}
          onChange={(e) => setDueOn(e.target.value)}
          data-testid="action-due"
        />
      </label>
      <button type="submit" data-testid="action-add">
        Add action
      </button>
    </form>
  );
}
