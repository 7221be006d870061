import { type FormEvent, useState } from 'react';
import type { Operation } from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';

interface Props {
  onCalledOut: (incident: Operation) => void;
}

/** A leader calls the team out to a real incident directly (no exercise running). */
export function CalloutForm({ onCalledOut }: Props) {
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!(await confirmAction(`Call the whole team out to a REAL incident: “${name.trim()}”?`))) return;
    const body = { name: name.trim(), reason: reason.trim() };
    const op = await run(() => api<Operation>('/api/callouts', { method: 'POST', body }));
    if (op) {
      setName('');
      setReason('');
      onCalledOut(op);
    }
  };
  return (
    <form className="form panel-section" onSubmit={submit}>
      <h3>Callout (real)</h3>
      <label>
        Incident
        <input
          name="callout-name"
          required
          maxLength={120}
          placeholder="e.g. missing walker, Beacon Hill"
          value={name}
          onChange={(ev) => setName(ev.target.value)}
        />
      </label>
      <label>
        Details
        <input
          name="callout-reason"
          maxLength={2000}
          value={reason}
          onChange={(ev) => setReason(ev.target.value)}
        />
      </label>
      {error && <p className="form-error">{error}</p>}
      <button type="submit" className="callout-button" disabled={busy || !name.trim()}>
        {busy ? 'Calling out…' : 'Call the team out'}
      </button>
    </form>
  );
}
