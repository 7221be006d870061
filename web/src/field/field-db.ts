/**
 * The field app's IndexedDB: `kv` (the token, which the service worker reads to act from a notification) and
 * `outbox` (what the member did offline, waiting to be sent). The service worker opens it without a version.
 */
const NAME = 'howl-field';
const VERSION = 2;

let opened: Promise<IDBDatabase> | null = null;

export function fieldDb(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opened = null;
      reject(req.error);
    };
  });
  return opened;
}

/** Runs one request in a transaction on `store` and resolves with its result once committed. */
export async function inStore<T>(
  store: 'kv' | 'outbox',
  mode: IDBTransactionMode,
  work: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await fieldDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
