import { useEffect, useState } from 'react';
import type { InReachFeed } from '../../../src/contract/inreach.ts';
import { ApiError, api } from '../shared/api.ts';

/** The member's Garmin MapShare feed as the dialog edits it, and how to save what changed. */
export function useInReachFeed(memberId: string) {
  const [feed, setFeed] = useState<InReachFeed | null>(null);
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    let live = true;
    api<InReachFeed>(`/api/members/${memberId}/inreach`)
      .then((f) => {
        if (!live) return;
        setFeed(f);
        setUrl(f.url);
      })
      .catch((e) => {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [memberId]);

  /** Sets, replaces or removes the feed when the fields changed; nothing otherwise. */
  const save = async (): Promise<void> => {
    const path = `/api/members/${memberId}/inreach`;
    const next = url.trim();
    if (next === '' && feed) await api(path, { method: 'DELETE' });
    else if (next !== '' && (next !== feed?.url || password !== ''))
      await api<InReachFeed>(path, {
        method: 'PUT',
        body: { url: next, ...(password !== '' ? { password } : {}) },
      });
  };

  return { feed, url, setUrl, password, setPassword, save };
}

/** The MapShare fields of the member dialog: Howl polls the feed for the member's inReach (IMEI = device id). */
export function InReachFeedFields({ state }: { state: ReturnType<typeof useInReachFeed> }) {
  const { feed } = state;
  return (
    <>
      <label>
        Garmin MapShare feed{' '}
        <span className="hint">
          (the raw KML feed, e.g. https://share.garmin.com/Feed/Share/name; the inReach's IMEI is a device id
          above)
        </span>
        <input
          name="mapshare-url"
          type="url"
          value={state.url}
          placeholder="none"
          onChange={(ev) => state.setUrl(ev.target.value)}
        />
      </label>
      <label>
        MapShare password{' '}
        <span className="hint">({feed?.hasPassword ? 'kept; type to replace' : 'if the page has one'})</span>
        <input
          name="mapshare-password"
          type="password"
          autoComplete="off"
          value={state.password}
          onChange={(ev) => state.setPassword(ev.target.value)}
        />
      </label>
      {feed?.lastError ? <p className="hint">Last poll failed: {feed.lastError}</p> : null}
      {feed?.lastPointAt ? (
        <p className="hint">Last point: {new Date(feed.lastPointAt).toLocaleString()}</p>
      ) : null}
    </>
  );
}
