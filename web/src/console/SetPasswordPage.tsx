import { type FormEvent, useState } from 'react';
import type { Me } from '../../../src/contract/sessions.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

const MIN_LENGTH = 8;

interface Props {
  me: Me;
  onDone: (me: Me) => void;
  onSkip: () => void;
}

/** Shown after a link login while the leader has no password, so they can sign in again without a link. */
export function SetPasswordPage({ me, onDone, onSkip }: Props) {
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const { busy, error, setError, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (password.length < MIN_LENGTH) {
      setError(`The password needs at least ${MIN_LENGTH} characters.`);
      return;
    }
    const updated = await run(() => api<Me>('/api/auth/password', { method: 'POST', body: { password } }));
    if (updated) onDone(updated);
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit}>
        <h1 className="brand">Howl</h1>
        <h2>Set a password</h2>
        <p className="auth-lead">
          Welcome, {me.callsign} ({me.team}). Choose a password to sign in to the console next time, without a
          login link.
        </p>
        {/* The sign-in name, read-only: a password manager saves the new password under it. */}
        <label>
          Callsign
          <input name="username" autoComplete="username" value={me.callsign} readOnly />
        </label>
        <label>
          New password (at least {MIN_LENGTH} characters)
          <input
            name="password"
            type={show ? 'text' : 'password'}
            autoComplete="new-password"
            minLength={MIN_LENGTH}
            required
            value={password}
            onChange={(ev) => setPassword(ev.target.value)}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={show} onChange={(ev) => setShow(ev.target.checked)} /> Show password
        </label>
        {error && <p className="form-error">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Set password'}
        </button>
        <button type="button" className="link-button" onClick={onSkip}>
          Not now
        </button>
      </form>
    </main>
  );
}
