import { type FormEvent, useState } from 'react';
import type { Me } from '../../../src/contract/sessions.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

interface Props {
  onLoggedIn: (me: Me) => void;
  /** e.g. a login link that did not work. */
  notice?: string | null;
}

export function LoginPage({ onLoggedIn, notice }: Props) {
  const [callsign, setCallsign] = useState('');
  const [password, setPassword] = useState('');
  const [team, setTeam] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = { callsign: callsign.trim(), password, ...(team.trim() ? { team: team.trim() } : {}) };
    const me = await run(() => api<Me>('/api/auth/login', { method: 'POST', body }));
    if (me) onLoggedIn(me);
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit}>
        <h1 className="brand">Howl</h1>
        <p className="auth-lead">Sign in to the team console.</p>
        {notice && <p className="form-error">{notice}</p>}
        <label>
          Callsign
          <input
            name="callsign"
            autoComplete="username"
            autoCapitalize="characters"
            required
            value={callsign}
            onChange={(ev) => setCallsign(ev.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(ev) => setPassword(ev.target.value)}
          />
        </label>
        <details className="auth-more">
          <summary>Callsign used in several teams?</summary>
          <label>
            Team name
            <input name="team" value={team} onChange={(ev) => setTeam(ev.target.value)} />
          </label>
        </details>
        {error && <p className="form-error">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="auth-note">
          No password yet, or forgot it? On the Howl server run <code>npx howl login-link</code>: it prints a
          one-time login link.
        </p>
      </form>
    </main>
  );
}
