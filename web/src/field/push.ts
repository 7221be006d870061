import { api } from '../shared/api.ts';
import { inStore } from './field-db.ts';

/**
 * Web Push on the field page: the member's token kept where the service worker can read it (IndexedDB; it
 * cannot read localStorage), so that "Acknowledge" on a notification acts without opening the page, and the
 * subscription made and registered with the server.
 */
/** Keeps (or, with null, forgets) the token for the service worker. */
export async function shareTokenWithWorker(token: string | null): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  if (token) await inStore('kv', 'readwrite', (s) => s.put(token, 'token'));
  else await inStore('kv', 'readwrite', (s) => s.delete('token'));
}

export type PushState = 'unsupported' | 'needs-install' | 'denied' | 'off' | 'on';

/** Whether this browser can take pushes here, and whether it does. */
export async function pushState(): Promise<PushState> {
  if (!('serviceWorker' in navigator) || typeof Notification === 'undefined') return needsInstall();
  const reg = await navigator.serviceWorker.getRegistration('/field');
  if (!reg || !('pushManager' in reg)) return needsInstall();
  if (Notification.permission === 'denied') return 'denied';
  return (await reg.pushManager.getSubscription()) ? 'on' : 'off';
}

/** iPhones take pushes only in an app added to the home screen (iOS 16.4+). */
function needsInstall(): PushState {
  const standalone = matchMedia('(display-mode: standalone)').matches;
  return /iPhone|iPad/.test(navigator.userAgent) && !standalone ? 'needs-install' : 'unsupported';
}

const fromBase64Url = (s: string) => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
};

/** Asks for permission, subscribes with the server's VAPID key and registers the subscription. */
export async function turnOnPush(token: string): Promise<PushState> {
  if ((await Notification.requestPermission()) !== 'granted') return 'denied';
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>('/api/push/vapid-public-key', { token });
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64Url(publicKey),
    }));
  await shareTokenWithWorker(token);
  await api('/api/push/subscriptions', { method: 'POST', token, body: sub.toJSON() });
  return 'on';
}

export async function turnOffPush(token: string): Promise<PushState> {
  const reg = await navigator.serviceWorker.getRegistration('/field');
  const sub = await reg?.pushManager.getSubscription();
  if (sub) {
    await api('/api/push/subscriptions', { method: 'DELETE', token, body: { endpoint: sub.endpoint } }).catch(
      () => undefined,
    );
    await sub.unsubscribe();
  }
  return 'off';
}
