import type { GpsState } from './use-gps.ts';

function describe(gps: GpsState): { text: string; help?: string; tone: 'ok' | 'wait' | 'bad' } {
  switch (gps.kind) {
    case 'fix':
      return { text: `GPS ±${Math.round(gps.accuracyM)} m`, tone: gps.accuracyM <= 50 ? 'ok' : 'wait' };
    case 'waiting':
      return {
        text: 'Waiting for GPS…',
        help: 'Outdoors with a clear sky a first fix takes under a minute.',
        tone: 'wait',
      };
    case 'denied':
      return {
        text: 'Location denied',
        help: 'Allow location for this page in the browser settings (the lock icon next to the address), then reload.',
        tone: 'bad',
      };
    case 'insecure':
      return {
        text: 'Location needs HTTPS',
        help: 'Phones share their position only with secure pages: open the https:// link (port 8443) from the QR code.',
        tone: 'bad',
      };
    case 'unsupported':
      return { text: 'No location in this browser', help: 'Use Chrome or Safari on the phone.', tone: 'bad' };
    case 'unavailable':
      return { text: 'Position unavailable', help: `${gps.message}. Is location turned on?`, tone: 'bad' };
  }
}

export function GpsStatus({ gps }: { gps: GpsState }) {
  const { text, help, tone } = describe(gps);
  return (
    <section className={`card gps gps-${tone}`}>
      <span className="gps-status" data-testid="gps-status">
        {text}
      </span>
      {help && <p className="help">{help}</p>}
    </section>
  );
}
