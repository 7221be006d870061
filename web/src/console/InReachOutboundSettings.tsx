import { useState } from 'react';
import type { InReachOutboundInfo } from '../../../src/contract/inreach.ts';
import { api } from '../shared/api.ts';

/**
 * The team's Garmin IPC Outbound URL (inReach Professional), shown on request: it carries the team's secret,
 * so it is not on screen until the leader asks; "New secret" stops the old one at once.
 */
export function InReachOutboundSettings() {
  const [info, setInfo] = useState<InReachOutboundInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (rotate: boolean) =>
    api<InReachOutboundInfo>(
      rotate ? '/api/inreach/outbound-settings/rotate' : '/api/inreach/outbound-settings',
      rotate ? { method: 'POST' } : {},
    )
      .then((i) => {
        setInfo(i);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  return (
    <fieldset data-testid="inreach-outbound">
      <legend>Garmin inReach IPC Outbound</legend>
      {info ? (
        <>
          <p className="hint">Enter this as the Outbound URL in the inReach Professional portal:</p>
          <input
            readOnly
            value={info.url}
            onFocus={(ev) => ev.target.select()}
            data-testid="inreach-outbound-url"
          />
        </>
      ) : (
        <p className="hint">
          For inReach Professional accounts: Garmin sends the team's inReach events to Howl.
        </p>
      )}
      <div className="inline-actions">
        <button type="button" onClick={() => void load(false)}>
          Show URL
        </button>
        {info && (
          <button type="button" className="ghost" onClick={() => void load(true)}>
            New secret
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
