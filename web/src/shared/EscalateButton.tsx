import { type FormEvent, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { api } from './api.ts';
import { Dialog } from './Dialog.tsx';
import { useAction } from './use-action.ts';
import './mode.css';

interface Props {
  /** Field page: bearer token; the console uses its session. */
  token?: string;
  /** Where the caller is, sent with the escalation when known. */
  position: () => LatLon | null;
  /** An incident is open already: escalating twice is refused. */
  disabled?: boolean;
  label?: string;
  className?: string;
  onEscalated: (incident: Operation) => void;
}

/** The red "This is not practice anymore" button any member may press: asks for a reason, then confirms. */
export function EscalateButton({ token, position, disabled, label, className, onEscalated }: Props) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const where = position();
    const body = { reason: reason.trim(), ...(where ? { position: where } : {}) };
    const incident = await run(() => api<Operation>('/api/escalate', { method: 'POST', token, body }));
    if (incident) {
      setOpen(false);
      setReason('');
      onEscalated(incident);
    }
  };

  return (
    <>
      <button
        type="button"
        className={`escalate-button ${className ?? ''}`}
        data-testid="escalate-button"
        disabled={disabled}
        title={disabled ? 'A real incident is open' : 'Declare a real emergency'}
        onClick={() => setOpen(true)}
      >
        {label ?? 'THIS IS REAL'}
      </button>
      {open && (
        <Dialog title="This is not practice anymore" onClose={() => setOpen(false)}>
          <form className="form escalate-form" onSubmit={submit}>
            <p className="escalate-lead">
              This declares a <strong>REAL</strong> incident. Any exercise stops for everyone, every member
              gets a real alert they must acknowledge, and a roll call starts.
            </p>
            <label>
              What is happening?
              <textarea
                name="reason"
                required
                maxLength={2000}
                placeholder="e.g. six armed people in the woods north of the base"
                value={reason}
                onChange={(ev) => setReason(ev.target.value)}
              />
            </label>
            {error && <p className="form-error">{error}</p>}
            <div className="dialog-actions">
              <button type="button" onClick={() => setOpen(false)}>
                Back
              </button>
              <button
                type="submit"
                className="escalate-confirm"
                data-testid="escalate-confirm"
                disabled={busy || reason.trim().length === 0}
              >
                {busy ? 'Declaring…' : 'Yes — declare REAL'}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
