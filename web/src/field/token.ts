const KEY = 'howl.fieldToken';

/** The field token: from the link's fragment (then kept and removed from the address bar), else the one kept. */
export function takeToken(): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    try {
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
  } catch {
    // nothing kept
  }
}
