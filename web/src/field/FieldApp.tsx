import { useState } from 'react';
import { FieldSession } from './FieldSession.tsx';
import { shareTokenWithWorker } from './push.ts';
import { forgetToken, takeToken } from './token.ts';

export function FieldApp() {
  const [token, setToken] = useState(takeToken);
  if (!token) return <NoToken />;
  return (
    <FieldSession
      token={token}
      onForget={() => {
        forgetToken();
        void shareTokenWithWorker(null).catch(() => undefined);
        setToken(null);
      }}
    />
  );
}

function NoToken() {
  return (
    <main className="field">
      <header className="field-head">
        <span className="brand">Howl</span>
      </header>
      <section className="card">
        <h1>This phone is not connected yet</h1>
        <p>
          Ask your team leader for your field link. In the Howl console they open the menu next to your
          callsign, choose <strong>Connect</strong>, and show you a QR code.
        </p>
        <p>
          Scan it with this phone's camera: this page opens and starts sharing your position with the team.
        </p>
      </section>
    </main>
  );
}
