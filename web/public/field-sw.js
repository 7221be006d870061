// The field app's service worker: keeps the app shell (the page, its scripts and styles, the manifest and
// icons) so that the installed app opens with no network. The page always comes from the network when it
// answers (a new version shows at once), else from the cache; the hashed scripts and styles come from the
// cache. The API is never cached here: the page keeps the team as last seen itself. Map tiles (/tiles/) come
// from the tiles the page kept, else the network.
const SHELL = 'howl-field-shell-v1';
/** Map tiles the page kept for use with no network (web/src/field/offline-tiles.ts); never expired here. */
const TILES = 'howl-field-tiles-v1';
const PAGE = '/field';
const STATIC = [
  '/field.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-192.png',
  '/icons/maskable-512.png',
  '/icons/apple-touch-icon.png',
  '/icons/badge-96.png',
];
/** How long a page request may take before the cached page is shown (a phone with one bar of signal). */
const NETWORK_WAIT_MS = 4000;

/** The scripts and styles a built page refers to (Vite's hashed files under /assets/). */
function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

/** A hashed file's name without its hash: `/assets/FieldMap-Ab12Cd34.js` → `/assets/FieldMap.js`. */
const stem = (path) => path.replace(/-[\w-]{8}(\.\w+)$/, '$1');

/** Keeps a freshly fetched page and everything it needs; drops the hashed files it no longer uses. */
async function keepShell(pageResponse) {
  const cache = await caches.open(SHELL);
  const html = await pageResponse.clone().text();
  const wanted = [...new Set([...STATIC, ...assetsOf(html)])];
  await Promise.all(
    wanted.map(async (path) => {
      if (await cache.match(path)) return;
      const res = await fetch(path);
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      await cache.put(path, res);
    }),
  );
  // The page last, once what it needs is in: a cached page never refers to a missing script.
  await cache.put(PAGE, pageResponse);
  // An asset goes when the page now wants another version of it (same name, another hash). Parts the page
  // loads later on its own (the map) are not named in it: they stay until a new version of them is kept.
  const stems = new Set(wanted.map(stem));
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !wanted.includes(path) && stems.has(stem(path)))
      await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch(PAGE, { cache: 'no-store' });
      if (!res.ok) throw new Error(`${PAGE}: ${res.status}`);
      await keepShell(res);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL && name !== TILES) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** The page from the network when it answers in time (and kept), else the kept one. */
async function page(event) {
  const cached = () => caches.match(PAGE, { cacheName: SHELL });
  try {
    const res = await Promise.race([
      fetch(event.request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('slow network')), NETWORK_WAIT_MS)),
    ]);
    if (res.ok) {
      event.waitUntil(keepShell(res.clone()).catch(() => undefined));
      return res;
    }
    return (await cached()) ?? res;
  } catch (err) {
    const kept = await cached();
    if (kept) return kept;
    throw err;
  }
}

/** A hashed script or style, an icon or the manifest: the kept copy, else the network (then kept). */
async function shellFile(request) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) {
    // A new version of a part loaded later (the map) replaces the one kept before.
    const path = new URL(request.url).pathname;
    for (const old of await cache.keys()) {
      const p = new URL(old.url).pathname;
      if (p !== path && p.startsWith('/assets/') && stem(p) === stem(path)) await cache.delete(old);
    }
    await cache.put(request, res.clone());
  }
  return res;
}

/**
 * A kept map tile, else the network. The TileJSON files (which areas the server has) from the network when
 * it answers, kept for the next time it does not.
 */
async function tile(request) {
  if (new URL(request.url).pathname.endsWith('/tile.json')) {
    try {
      const res = await fetch(request);
      if (res.ok) await (await caches.open(TILES)).put(request, res.clone());
      return res;
    } catch (err) {
      const kept = await caches.match(request, { cacheName: TILES });
      if (kept) return kept;
      throw err;
    }
  }
  const kept = await caches.match(request, { cacheName: TILES });
  return kept ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/tiles/')) {
    event.respondWith(tile(request));
    return;
  }
  if (request.mode === 'navigate' && url.pathname === PAGE) {
    event.respondWith(page(event));
    return;
  }
  if (
    url.pathname.startsWith('/assets/') ||
    url.pathname.startsWith('/icons/') ||
    STATIC.includes(url.pathname)
  )
    event.respondWith(shellFile(request));
});

// Web Push: the server's alerts, re-sends and roll calls, with the page closed. The payload is the server's
// PushMessage (src/domain/push.ts): its wording, urgency and the actions the notification offers.
self.addEventListener('push', (event) => {
  let m;
  try {
    m = event.data.json();
  } catch {
    m = { title: 'Howl', body: event.data ? event.data.text() : '', actions: [] };
  }
  event.waitUntil(
    self.registration.showNotification(m.title, {
      body: m.body,
      tag: m.tag,
      renotify: Boolean(m.tag),
      requireInteraction: Boolean(m.requireInteraction),
      silent: Boolean(m.silent),
      // A silent notification with a vibration pattern is refused: vibrate only the loud ones.
      ...(!m.silent && m.vibrate?.length ? { vibrate: m.vibrate } : {}),
      actions: m.actions ?? [],
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      data: m,
    }),
  );
});

/** The member's token, kept by the page in IndexedDB (a worker cannot read localStorage). */
function storedToken() {
  return new Promise((resolve) => {
    // No version: the page owns the schema (web/src/field/field-db.ts).
    const req = indexedDB.open('howl-field');
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      if (!req.result.objectStoreNames.contains('kv')) return resolve(null);
      const get = req.result.transaction('kv').objectStore('kv').get('token');
      get.onsuccess = () => resolve(get.result ?? null);
      get.onerror = () => resolve(null);
    };
  });
}

/** What a notification's action does at the server, with the member's token. */
async function act(m, action, token) {
  const post = (path, body) =>
    fetch(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  if (m.alertId && ['ack', 'responding', 'unavailable'].includes(action))
    await post(`/api/alerts/${encodeURIComponent(m.alertId)}/ack`);
  if (action === 'responding' || action === 'unavailable')
    await post('/api/callout/response', { status: action });
  if (m.rollCallId && (action === 'ok' || action === 'needs_help'))
    await post('/api/rollcalls/answer', { status: action });
}

self.addEventListener('notificationclick', (event) => {
  const m = event.notification.data ?? {};
  event.notification.close();
  event.waitUntil(
    (async () => {
      if (event.action) {
        const token = await storedToken();
        if (token) await act(m, event.action, token).catch(() => undefined);
      }
      const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const app = open.find((c) => new URL(c.url).pathname === PAGE);
      if (app) return app.focus();
      return self.clients.openWindow(PAGE);
    })(),
  );
});
