import { useCallback, useEffect, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { LatLon } from '../../../src/contract/common.ts';
import { sosSentHeadline } from '../../../src/domain/mode.ts';
import { api, errorMessage } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';
import { clockTime } from '../shared/time.ts';
import { type OutboxItem, useFieldOutbox } from './outbox.ts';

interface Props {
  token: string;
  /** Seconds to cancel an accidental press; 0 sends at once. */
  countdownS: number;
  position: () => LatLon | null;
  /** My SOS that is out and active, if any. */
  mine: Alert | null;
  /** My SOS pressed without signal, waiting in the outbox. */
  queued: OutboxItem | null;
  onAlert: (alert: Alert) => void;
}

type Phase = { kind: 'idle' } | { kind: 'counting'; endsAtMs: number } | { kind: 'sending' };

/**
 * The one big HOWL button. An on-screen countdown lets an accidental press be cancelled before
 * the SOS goes out; once out, only a visible "Cancel — false alarm" closes it, for everyone.
 */
export function SosButton({ token, countdownS, position, mine, queued, onAlert }: Props) {
  const outbox = useFieldOutbox();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);

  const send = useCallback(async () => {
    setPhase({ kind: 'sending' });
    setError(null);
    try {
      const where = position();
      const body = { text: '', ...(where ? { position: where } : {}) };
      // Without signal it waits in the outbox and goes out, once, when the connection returns.
      const sent = await outbox.send<Alert>('sos', '/api/alerts/sos', body, 'SOS');
      if (sent) onAlert(sent);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPhase({ kind: 'idle' });
    }
  }, [outbox, position, onAlert]);

  useEffect(() => {
    if (phase.kind !== 'counting') return;
    const tick = setInterval(() => {
      const now = Date.now();
      setNowMs(now);
      if (now >= phase.endsAtMs) {
        clearInterval(tick);
        void send();
      }
    }, 100);
    return () => clearInterval(tick);
  }, [phase, send]);

  const press = () => {
    if (countdownS <= 0) void send();
    else {
      setNowMs(Date.now());
      setPhase({ kind: 'counting', endsAtMs: Date.now() + countdownS * 1000 });
    }
  };

  const cancelSent = async (alert: Alert) => {
    const sure = await confirmAction(
      'Cancel your SOS as a false alarm? Everyone will see that it was cancelled.',
      'Cancel the SOS',
      'Keep it',
    );
    if (!sure) return;
    try {
      const body = { reason: 'cancelled — false alarm' };
      const updated = await api<Alert>(`/api/alerts/${alert.id}/cancel`, { method: 'POST', token, body });
      if (updated?.id) onAlert(updated);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (mine) {
    const acks = mine.acknowledgements.length;
    return (
      <section className={`card sos-out sos-out-${mine.mode}`} data-testid="sos-out" role="status">
        <h1>{sosSentHeadline(mine.mode)}</h1>
        <p>
          Sent {clockTime(mine.time)} · {acks} acknowledged{mine.position ? ' · with your position' : ''}
        </p>
        <button
          type="button"
          className="sos-false-alarm"
          data-testid="sos-false-alarm"
          onClick={() => void cancelSent(mine)}
        >
          Cancel — false alarm
        </button>
        {error && <p className="error">{error}</p>}
      </section>
    );
  }

  if (queued) {
    return (
      <section className="card sos-queued" data-testid="sos-queued" role="alert">
        <h1>SOS NOT SENT YET — retrying</h1>
        <p>
          Pressed {clockTime(queued.createdMs)} with no connection to the Howl server. It goes out by itself
          as soon as the phone has signal; keep this app open, or call for help another way.
        </p>
      </section>
    );
  }

  if (phase.kind === 'counting') {
    const left = Math.max(0, Math.ceil((phase.endsAtMs - nowMs) / 1000));
    return (
      <section className="sos-counting" role="alert">
        <p className="sos-counting-text">SOS goes out in</p>
        <span className="sos-countdown" data-testid="sos-countdown">
          {left}
        </span>
        <button
          type="button"
          className="sos-cancel"
          data-testid="sos-cancel"
          onClick={() => setPhase({ kind: 'idle' })}
        >
          CANCEL — don't send
        </button>
      </section>
    );
  }

  return (
    <section className="sos-wrap">
      <button
        type="button"
        className="sos-button"
        data-testid="sos-button"
        disabled={phase.kind === 'sending'}
        onClick={press}
      >
        <span className="sos-button-word">HOWL</span>
        <span className="sos-button-sub">
          {phase.kind === 'sending'
            ? 'sending…'
            : countdownS > 0
              ? `SOS · ${countdownS} s to cancel`
              : 'SOS · sends at once'}
        </span>
      </button>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
