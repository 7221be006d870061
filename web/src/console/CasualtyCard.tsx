import { type FormEvent, useState } from 'react';
import type { Casualty, Triage } from '../../../src/contract/incidents.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';

export const TRIAGE_WORD: Record<Triage, string> = {
  red: 'RED · immediate',
  yellow: 'YELLOW · delayed',
  green: 'GREEN · minor',
};

interface Props {
  casualty: Casualty;
  callsign: string;
}

type Patch = {
  triage?: Triage;
  injuries?: string;
  care?: string;
  evacuated?: true;
  recovered?: true;
};

/** One casualty: triage colour, injuries, the care log with its authors, evacuated and recovered. */
export function CasualtyCard({ casualty: c, callsign }: Props) {
  const [care, setCare] = useState('');
  const [injuries, setInjuries] = useState(c.injuries);
  const { busy, error, run } = useAction();
  const patch = (body: Patch) =>
    run(() => api<Casualty>(`/api/casualties/${c.id}`, { method: 'PATCH', body }));

  const addCare = async (ev: FormEvent) => {
    ev.preventDefault();
    if (care.trim() && (await patch({ care: care.trim() }))) setCare('');
  };

  return (
    <li className={`casualty triage-${c.triage}`} data-testid="casualty" data-member-id={c.memberId}>
      <div className="casualty-head">
        <strong>{callsign}</strong>
        <select
          className={`triage-select triage-${c.triage}`}
          aria-label={`Triage of ${callsign}`}
          value={c.triage}
          disabled={busy}
          onChange={(ev) => void patch({ triage: ev.target.value as Triage })}
        >
          {(['red', 'yellow', 'green'] as const).map((t) => (
            <option key={t} value={t}>
              {TRIAGE_WORD[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="casualty-injuries">
        <input
          aria-label="Injuries"
          value={injuries}
          placeholder="injuries"
          onChange={(ev) => setInjuries(ev.target.value)}
        />
        {injuries !== c.injuries && (
          <button type="button" className="small" disabled={busy} onClick={() => void patch({ injuries })}>
            Save
          </button>
        )}
      </div>
      <ol className="care-log">
        {c.careLog.map((e) => (
          <li key={`${e.time}-${e.authorId}`}>
            <span className="care-time">{clockTime(e.time)}</span> <strong>{e.author}</strong> {e.text}
          </li>
        ))}
      </ol>
      <form className="care-add" onSubmit={addCare}>
        <input
          aria-label="Care log entry"
          placeholder="care given, e.g. tourniquet left leg"
          value={care}
          maxLength={2000}
          onChange={(ev) => setCare(ev.target.value)}
        />
        <button type="submit" className="small" disabled={busy || !care.trim()}>
          Add
        </button>
      </form>
      <div className="casualty-flags">
        {c.evacuatedAt ? (
          <span className="tag">evacuated {clockTime(c.evacuatedAt)}</span>
        ) : (
          <button
            type="button"
            className="small"
            disabled={busy}
            onClick={() => void patch({ evacuated: true })}
          >
            Evacuated
          </button>
        )}
        {c.recoveredAt ? (
          <span className="tag">recovered {clockTime(c.recoveredAt)}</span>
        ) : (
          <button
            type="button"
            className="small"
            disabled={busy}
            onClick={() => void patch({ recovered: true })}
          >
            Recovered
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}
