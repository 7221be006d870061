import { useEffect, useState } from 'react';
import type { TakConnectionInfo } from '../../../src/contract/tak.ts';
import { api, errorMessage } from '../shared/api.ts';
import { Dialog } from '../shared/Dialog.tsx';
import { Copyable, Qr } from './ConnectDialog.tsx';
import { MeshPending } from './MeshPending.tsx';
import { TakPending } from './TakPending.tsx';
import './tak.css';

interface Props {
  onClose: () => void;
  /** Preselected member for approvals. */
  memberId?: string;
}

/** Onboarding TAK clients (ATAK, iTAK, WinTAK): where they connect, the data packages, and uids waiting. */
export function TakDialog({ onClose, memberId }: Props) {
  const [info, setInfo] = useState<TakConnectionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api<TakConnectionInfo>('/api/tak/connection')
      .then((c) => !cancelled && setInfo(c))
      .catch((err) => !cancelled && setError(errorMessage(err)));
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <Dialog title="Connect TAK clients" onClose={onClose} wide>
      <div data-testid="tak-dialog">
        {error && <p className="form-error">{error}</p>}
        {!info && !error && <p>Loading…</p>}
        {info && (
          <div className="connect-grid">
            <section className="connect-card">
              <h3>Server</h3>
              <dl className="tak-endpoints">
                <dt>Host</dt>
                <dd data-testid="tak-host">{info.host}</dd>
                <dt>TCP port</dt>
                <dd data-testid="tak-tcp-port">{info.tcpPort}</dd>
                <dt>TLS port</dt>
                <dd data-testid="tak-tls-port">{info.tlsPort ?? 'off'}</dd>
              </dl>
              <p>
                ATAK: import a data package (it adds the server). Over TLS the package carries a truststore
                for Howl's certificate
                {info.truststorePassword && (
                  <>
                    {' '}
                    (password <code>{info.truststorePassword}</code>)
                  </>
                )}
                .
                {info.clientCertificates &&
                  ' Clients with a certificate from your CA are bound by its name; others by their uid.'}
              </p>
              <div className="tak-downloads">
                <a className="tak-button primary" href={info.packageUrl} download data-testid="tak-package">
                  Download data package (TCP)
                </a>
                {info.tlsPackageUrl && (
                  <a className="tak-button" href={info.tlsPackageUrl} download data-testid="tak-package-tls">
                    Download data package (TLS)
                  </a>
                )}
              </div>
            </section>
            <section className="connect-card">
              <h3>iTAK quick connect</h3>
              <div className="tak-qr" data-testid="tak-qr">
                <Qr svg={info.quickConnectQr} label="QR code of the TAK server connection" />
              </div>
              <p>In iTAK, add a server and scan this code. Or type the host and TCP port above.</p>
              <Copyable label="Quick connect" value={info.quickConnect} />
            </section>
          </div>
        )}
        <TakPending defaultMemberId={memberId} />
        <MeshPending defaultMemberId={memberId} />
      </div>
    </Dialog>
  );
}
