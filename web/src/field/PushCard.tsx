import { useEffect, useState } from 'react';
import { errorMessage } from '../shared/api.ts';
import { type PushState, pushState, shareTokenWithWorker, turnOffPush, turnOnPush } from './push.ts';

const SAYS: Record<PushState, string> = {
  on: 'On: real alerts, callouts and roll calls reach this phone with the app closed.',
  off: 'Off: with the app closed, this phone hears nothing.',
  denied: 'Blocked in the browser settings for this site: allow notifications there.',
  'needs-install': 'On iPhone: Share → Add to Home Screen, open Howl from there, then turn alerts on.',
  unsupported: 'This browser cannot take alerts with the page closed: keep it open, or use a TAK app.',
};

/** Alerts with the app closed (Web Push): what this phone does, and the switch. */
export function PushCard({ token }: { token: string }) {
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Whatever the switch, the worker needs the token to act from a notification.
    void shareTokenWithWorker(token).catch(() => undefined);
    void pushState()
      .then(setState)
      .catch(() => setState('unsupported'));
  }, [token]);
  if (state === null) return null;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(await (state === 'on' ? turnOffPush(token) : turnOnPush(token)));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card push-card" data-testid="push-card" data-state={state}>
      <h2>Alerts with the app closed</h2>
      <p>{SAYS[state]}</p>
      {(state === 'on' || state === 'off') && (
        <button
          type="button"
          className={state === 'on' ? 'ghost' : 'primary'}
          disabled={busy}
          onClick={() => void toggle()}
        >
          {state === 'on' ? 'Turn off' : 'Turn on alerts'}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
