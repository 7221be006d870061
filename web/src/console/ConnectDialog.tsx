import { useEffect, useState } from 'react';
import type { Connection } from '../../../src/contract/members.ts';
import { api, errorMessage } from '../shared/api.ts';
import { Dialog } from '../shared/Dialog.tsx';
import { TakDialog } from './TakDialog.tsx';

export interface ConnectTarget {
  id: string;
  callsign: string;
}

interface Props {
  member: ConnectTarget;
  onClose: () => void;
}

/** Issues a fresh token for a member and shows how to connect the field page, Traccar Client and TAK. */
export function ConnectDialog({ member, onClose }: Props) {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tak, setTak] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api<Connection>(`/api/members/${member.id}/connection`, { method: 'POST' })
      .then((c) => !cancelled && setConnection(c))
      .catch((err) => !cancelled && setError(errorMessage(err)));
    return () => {
      cancelled = true;
    };
  }, [member.id]);

  if (tak) return <TakDialog memberId={member.id} onClose={onClose} />;
  return (
    <Dialog title={`Connect ${member.callsign}`} onClose={onClose} wide>
      {error && <p className="form-error">{error}</p>}
      {!connection && !error && <p>Issuing a token…</p>}
      {/* Above the codes, where it is read before one is scanned. */}
      {connection && (
        <p className="dialog-note">
          This created a new token for {connection.callsign}; older tokens keep working until revoked.
        </p>
      )}
      {connection && (
        <div className="connect-grid">
          <section className="connect-card">
            <h3>Field page</h3>
            <Qr svg={connection.fieldQr} label="QR code of the field page link" />
            <p>
              Scan with the phone camera to open the field page. Keep the page open to share the position.
            </p>
            <Copyable label="Link" value={connection.fieldUrl} />
          </section>
          <section className="connect-card">
            <h3>Traccar Client</h3>
            <Qr svg={connection.osmandQr} label="QR code of the Traccar Client settings" />
            <p>
              In Traccar Client, open Settings and tap the QR button: it sets the server URL, this device
              identifier, high accuracy and a 15 s interval. Or type the two below.
            </p>
            <Copyable label="Server URL" value={connection.osmandUrl} />
            <Copyable label="Device identifier" value={connection.device} />
          </section>
          <section className="connect-card">
            <h3>TAK client (ATAK, iTAK, WinTAK)</h3>
            <p>
              Add Howl as a TAK server with a data package or a QR code, then approve the new device here: it
              becomes one of {member.callsign}'s devices.
            </p>
            <button type="button" onClick={() => setTak(true)} data-testid="open-tak">
              TAK setup…
            </button>
          </section>
        </div>
      )}
    </Dialog>
  );
}

/** A QR code as SVG markup made by our own server from the link (no user input in it). */
export function Qr({ svg, label }: { svg: string; label: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: server-generated SVG of a URL, per the API contract
  return <div className="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function Copyable({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard needs a secure page; the text is selectable anyway.
    }
  };
  return (
    <div className="copyable">
      <span className="copy-label">{label}</span>
      <code className="copy-value">{value}</code>
      <button type="button" className="small" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
