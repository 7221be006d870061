import { type FormEvent, type ReactNode, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { LatLon } from '../../../src/contract/common.ts';
import { api } from './api.ts';
import { useAction } from './use-action.ts';

interface Props {
  token?: string;
  /** Where the hostiles are (or where the reporter is), when known. */
  position: LatLon | null;
  /** How the position is chosen: own GPS on the field page, a map click on the console. */
  positionControls: ReactNode;
  onSent: (alert: Alert) => void;
}

/** Hostiles seen: how many, which way, what else. Sent as a contact alert in the team's current mode. */
export function ContactReportForm({ token, position, positionControls, onSent }: Props) {
  const [count, setCount] = useState('1');
  const [direction, setDirection] = useState('');
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = {
      count: Number(count),
      text: text.trim(),
      ...(direction.trim() ? { direction: direction.trim() } : {}),
      ...(position ? { position } : {}),
    };
    const alert = await run(() => api<Alert>('/api/alerts/contact', { method: 'POST', token, body }));
    if (alert) {
      setCount('1');
      setDirection('');
      setText('');
      onSent(alert);
    }
  };

  return (
    <form className="form contact-form" data-testid="contact-form" onSubmit={submit}>
      <div className="contact-row">
        <label className="contact-count">
          How many
          <input
            name="count"
            type="number"
            inputMode="numeric"
            required
            min={1}
            max={10000}
            value={count}
            onChange={(ev) => setCount(ev.target.value)}
          />
        </label>
        <label>
          Direction / distance
          <input
            name="direction"
            maxLength={200}
            placeholder="e.g. north-east, 200 m"
            value={direction}
            onChange={(ev) => setDirection(ev.target.value)}
          />
        </label>
      </div>
      <label>
        What did you see?
        <input
          name="text"
          maxLength={2000}
          placeholder="armed? moving? vehicles?"
          value={text}
          onChange={(ev) => setText(ev.target.value)}
        />
      </label>
      <div className="contact-position">{positionControls}</div>
      {error && <p className="form-error">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send contact report'}
      </button>
    </form>
  );
}
