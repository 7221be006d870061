import { type AlertWords, alertSentence } from './alerts.ts';
import { EXERCISE_PREFIX, REAL_HEADLINE } from './mode.ts';
import type { Mode } from './vocabulary.ts';

/**
 * Web Push: which push services the server will post to, and what a push says. A subscription names the
 * address the server posts to, so only the browsers' own push services are accepted: a member cannot make
 * the server post elsewhere. A team running its own push service adds its origin.
 */
const KNOWN_PUSH_ORIGINS: readonly (string | RegExp)[] = [
  'https://fcm.googleapis.com', // Chrome, Edge on Android, Samsung Internet
  'https://updates.push.services.mozilla.com', // Firefox
  'https://push.services.mozilla.com',
  'https://web.push.apple.com', // Safari, iOS 16.4+ home-screen apps
  /^https:\/\/[a-z0-9-]+\.notify\.windows\.com$/, // Edge on Windows (WNS)
];

/** Whether the server may post to this endpoint: a known push service, or one of `extra` origins. */
export function pushEndpointAllowed(endpoint: string, extra: readonly string[] = []): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  return (
    KNOWN_PUSH_ORIGINS.some((o) => (typeof o === 'string' ? o === url.origin : o.test(url.origin))) ||
    extra.includes(url.origin)
  );
}

/** A notification as the service worker shows it; `actions` name what it may do from the notification. */
export interface PushMessage {
  title: string;
  body: string;
  /** One notification per alert: a re-send replaces it and rings again. */
  tag: string;
  mode: Mode;
  requireInteraction: boolean;
  silent: boolean;
  vibrate: number[];
  actions: Array<{ action: PushAction; title: string }>;
  /** What the actions act on. */
  alertId?: string;
  rollCallId?: string;
  /** Seconds a push service keeps it for a phone that is off; past that it is stale. */
  ttlS: number;
  urgency: 'high' | 'normal' | 'low';
}

export type PushAction = 'ack' | 'responding' | 'unavailable' | 'ok' | 'needs_help';

const LONG_VIBRATION = [1000, 300, 1000, 300, 1000, 300, 1000];

/** The push for an alert (raised, or re-sent while unacknowledged). Exercise traffic is quiet and prefixed. */
export function alertPush(a: AlertWords & { id: string; mode: Mode }, resend: boolean): PushMessage {
  const text = alertSentence(a);
  if (a.mode === 'exercise') {
    return {
      title: EXERCISE_PREFIX,
      body: text,
      tag: `alert-${a.id}`,
      mode: 'exercise',
      requireInteraction: false,
      silent: true,
      vibrate: [],
      actions: [{ action: 'ack', title: 'Seen' }],
      alertId: a.id,
      ttlS: 15 * 60,
      urgency: 'normal',
    };
  }
  // The howl that changed the mode is a callout too: answering it says whether you are coming.
  const actions: PushMessage['actions'] =
    a.type === 'escalation'
      ? [
          { action: 'responding', title: 'Responding' },
          { action: 'unavailable', title: 'Unavailable' },
        ]
      : [{ action: 'ack', title: 'Acknowledge' }];
  return {
    title: REAL_HEADLINE,
    body: resend ? `${text} (not acknowledged yet)` : text,
    tag: `alert-${a.id}`,
    mode: 'real',
    requireInteraction: true,
    silent: false,
    vibrate: LONG_VIBRATION,
    actions,
    alertId: a.id,
    ttlS: 60 * 60,
    urgency: 'high',
  };
}

/** The push of a new roll call: answer OK or "need help" from the notification. */
export function rollCallPush(r: { id: string; mode: Mode }): PushMessage {
  const real = r.mode === 'real';
  return {
    title: real ? REAL_HEADLINE : EXERCISE_PREFIX,
    body: 'ROLL CALL: are you OK?',
    tag: `rollcall-${r.id}`,
    mode: r.mode,
    requireInteraction: real,
    silent: !real,
    vibrate: real ? LONG_VIBRATION : [],
    actions: [
      { action: 'ok', title: 'I am OK' },
      { action: 'needs_help', title: 'Need help' },
    ],
    rollCallId: r.id,
    ttlS: 30 * 60,
    urgency: real ? 'high' : 'normal',
  };
}
