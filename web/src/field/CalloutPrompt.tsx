import { useState } from 'react';
import type { CalloutResponse } from '../../../src/contract/incidents.ts';
import { useAction } from '../shared/use-action.ts';
import { useFieldOutbox } from './outbox.ts';

interface Props {
  /** My latest answer to the callout, if any. */
  mine: CalloutResponse | null;
}

const WORD: Record<CalloutResponse['status'], string> = {
  responding: 'Responding',
  arrived: 'Arrived',
  unavailable: 'Unavailable',
};

/** Callout: tell the leader whether I am coming, and when. */
export function CalloutPrompt({ mine }: Props) {
  const [eta, setEta] = useState('15');
  const { busy, error, run } = useAction();
  const outbox = useFieldOutbox();
  const send = (status: CalloutResponse['status']) => {
    const minutes = Number(eta);
    const body =
      status === 'responding' && eta.trim() && Number.isFinite(minutes)
        ? { status, etaMinutes: Math.round(minutes) }
        : { status };
    return run(() => outbox.send('callout', '/api/callout/response', body, 'Callout answer'));
  };
  return (
    <section className="card callout" data-testid="callout-prompt">
      <h2>Callout — are you coming?</h2>
      {mine && (
        <p>
          You answered <strong>{WORD[mine.status]}</strong>
          {mine.status === 'responding' && mine.etaMinutes !== null && `, ETA ${mine.etaMinutes} min`}.
        </p>
      )}
      <div className="callout-row">
        <label className="callout-eta">
          ETA min
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            value={eta}
            onChange={(ev) => setEta(ev.target.value)}
          />
        </label>
        <button type="button" className="primary" disabled={busy} onClick={() => void send('responding')}>
          Responding
        </button>
      </div>
      <div className="callout-row">
        <button type="button" disabled={busy} onClick={() => void send('arrived')}>
          Arrived
        </button>
        <button type="button" disabled={busy} onClick={() => void send('unavailable')}>
          Unavailable
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
