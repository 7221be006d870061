import { type FormEvent, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { ApiError, api, errorMessage } from '../shared/api.ts';

interface Props {
  incident: Operation;
  members: readonly Member[];
  onClosed: (op: Operation) => void;
}

/** The ids (or member objects) the server lists when it refuses to close with members unaccounted. */
function unaccountedOf(err: unknown): string[] | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const list = (err.details as { unaccounted?: unknown } | undefined)?.unaccounted;
  if (!Array.isArray(list)) return null;
  return list.map((x) =>
    typeof x === 'string'
      ? x
      : String((x as { memberId?: string; id?: string }).memberId ?? (x as { id?: string }).id),
  );
}

/** Close the incident with a summary; refused while members are unaccounted, unless an override reason is given. */
export function CloseIncident({ incident, members, onClosed }: Props) {
  const [summary, setSummary] = useState('');
  const [override, setOverride] = useState('');
  const [refused, setRefused] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        summary: summary.trim(),
        ...(refused && override.trim() ? { override: override.trim() } : {}),
      };
      onClosed(await api<Operation>(`/api/operations/${incident.id}/close`, { method: 'POST', body }));
    } catch (err) {
      const ids = unaccountedOf(err);
      if (ids) setRefused(ids);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const callsign = (id: string) => members.find((m) => m.id === id)?.callsign ?? id;
  return (
    <section className="panel-section">
      <h3>Close incident</h3>
      <form className="form close-form" onSubmit={submit}>
        <label>
          Summary
          <textarea
            name="summary"
            maxLength={20000}
            placeholder="what happened, who was hurt, what was done"
            value={summary}
            onChange={(ev) => setSummary(ev.target.value)}
          />
        </label>
        {refused && (
          <div className="close-refused" data-testid="close-refused">
            <p>
              <strong>Not everyone is accounted for:</strong>{' '}
              {refused.length > 0 ? refused.map(callsign).join(', ') : 'no roll call was taken'}
            </p>
            <label>
              Override reason (required to close anyway)
              <input
                name="override"
                minLength={3}
                maxLength={2000}
                value={override}
                onChange={(ev) => setOverride(ev.target.value)}
              />
            </label>
          </div>
        )}
        {error && <p className="form-error">{error}</p>}
        <button
          type="submit"
          className="primary"
          disabled={busy || (refused !== null && override.trim().length < 3)}
        >
          {refused ? 'Close with override' : 'Close incident'}
        </button>
      </form>
    </section>
  );
}
