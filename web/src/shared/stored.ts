// The browser's storage, for what a page keeps between visits: reading, writing and forgetting never throw
// (private mode, a full quota or a value written by another version of the page just mean nothing is kept).

/** The value kept under `key`, or null when there is none or it cannot be read. */
export function readStored<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` if the browser lets the page keep anything. */
export function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or private mode: the page still works, it just keeps nothing.
  }
}

export function forgetStored(...keys: string[]): void {
  try {
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}
