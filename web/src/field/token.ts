import { forgetStored } from '../shared/stored.ts';

const KEY = 'howl.fieldToken';
/** What the page keeps about the phone's member and team, for opening without a network. */
export const KEPT_STATE_KEY = 'howl.fieldState';
export const KEPT_ME_KEY = 'howl.fieldMe';

const forgetKeptData = () => forgetStored(KEPT_STATE_KEY, KEPT_ME_KEY);

/** The field token: from the link's fragment (then kept and removed from the address bar), else the one kept. */
export function takeToken(): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    try {
      // Another member's link: what was kept belongs to the one before.
      if (localStorage.getItem(KEY) !== fromLink) forgetKeptData();
      localStorage.setItem(KEY, fromLink);
    } catch {
      // Private mode: the token works for this visit only.
    }
    history.replaceState(null, '', location.pathname + location.search);
    return fromLink;
  }
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(KEY);
    forgetKeptData();
  } catch {
    // nothing kept
  }
}
