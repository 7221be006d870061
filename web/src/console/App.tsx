import { useEffect, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { ApiError, api, errorMessage } from '../shared/api.ts';
import { Console } from './Console.tsx';
import { LoginPage } from './LoginPage.tsx';
import { SetPasswordPage } from './SetPasswordPage.tsx';

type Phase =
  | { kind: 'loading' }
  | { kind: 'login'; notice?: string }
  | { kind: 'set-password'; me: Me }
  | { kind: 'console'; me: Me };

const SKIP_KEY = 'howl.skipSetPassword';

/** The one-time code of a login link (`/login#code=XYZ`), removed from the address bar once read. */
function takeLoginCode(): string | null {
  const code = new URLSearchParams(location.hash.slice(1)).get('code');
  if (code !== null) history.replaceState(null, '', '/');
  return code;
}

function afterLogin(me: Me): Phase {
  if (location.pathname === '/login') history.replaceState(null, '', '/');
  const skipped = sessionStorage.getItem(SKIP_KEY) === me.memberId;
  return me.hasPassword || me.role !== 'leader' || skipped
    ? { kind: 'console', me }
    : { kind: 'set-password', me };
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [config, setConfig] = useState<ClientConfig | null>(null);

  useEffect(() => {
    api<ClientConfig>('/api/config')
      .then(setConfig)
      .catch((err) => {
        console.warn('howl: no client config, using the plain map', err);
        setConfig({ version: '', tiles: null, publicUrl: location.origin, httpsUrl: null });
      });
    const code = takeLoginCode();
    const login = code ? api<Me>('/api/auth/link', { method: 'POST', body: { code } }) : api<Me>('/api/me');
    login
      .then((me) => setPhase(afterLogin(me)))
      .catch((err) => {
        const notice = code
          ? `This login link did not work: ${errorMessage(err)}`
          : err instanceof ApiError && err.status === 401
            ? undefined
            : errorMessage(err);
        if (location.pathname !== '/login') history.replaceState(null, '', '/login');
        setPhase({ kind: 'login', notice });
      });
  }, []);

  const logout = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } catch (err) {
      console.warn('howl: logout failed', err);
    }
    history.replaceState(null, '', '/login');
    setPhase({ kind: 'login' });
  };

  switch (phase.kind) {
    case 'loading':
      return <div className="splash">Howl</div>;
    case 'login':
      return <LoginPage notice={phase.notice} onLoggedIn={(me) => setPhase(afterLogin(me))} />;
    case 'set-password':
      return (
        <SetPasswordPage
          me={phase.me}
          onDone={(me) => setPhase({ kind: 'console', me })}
          onSkip={() => {
            sessionStorage.setItem(SKIP_KEY, phase.me.memberId);
            setPhase({ kind: 'console', me: phase.me });
          }}
        />
      );
    case 'console':
      return config ? (
        <Console me={phase.me} config={config} onLogout={logout} />
      ) : (
        <div className="splash">Howl</div>
      );
  }
}
