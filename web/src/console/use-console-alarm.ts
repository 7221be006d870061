import { useEffect, useRef } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { startSiren, useAlarmUnlock } from '../shared/alarm-audio.ts';
import { type AlertItem, itemLine, pendingItems } from '../shared/alert-view.ts';

/** How often the tab title flashes while a real alert waits, in ms. */
const FLASH_MS = 1000;

/** The page's notification permission; 'unsupported' without the Notification API. */
export const notificationPermission = (): NotificationPermission | 'unsupported' =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

export interface ConsoleAlarm {
  /** The real alerts this member has not acknowledged, in triage order. */
  items: readonly AlertItem[];
  /** The browser holds the sound back until a click. */
  soundBlocked: boolean;
  /** From a click: lets the sound through and asks to show notifications. */
  enable: () => void;
}

/**
 * Makes an active real alert impossible to miss at the console: while one that concerns this member waits
 * for their acknowledgement, the siren sounds (Web Audio, generated), the tab title flashes its headline,
 * and a new one is shown as a system notification when the tab is in the background.
 */
export function useConsoleAlarm(me: Me, loaded: boolean, alerts: readonly Alert[]): ConsoleAlarm {
  const items = pendingItems(alerts, { memberId: me.memberId, role: me.role }).filter(
    (i) => i.mode === 'real',
  );
  const { blocked, unlock } = useAlarmUnlock(false);
  const sounding = items.length > 0;

  useEffect(() => {
    if (!sounding) return;
    return startSiren();
  }, [sounding]);

  const top = items[0];
  const headline = top ? `■ ${itemLine(top)}` : null;
  useEffect(() => {
    if (!headline) return;
    const base = document.title;
    let on = false;
    const flash = () => {
      on = !on;
      document.title = on ? headline : base;
    };
    flash();
    const timer = setInterval(flash, FLASH_MS);
    return () => {
      clearInterval(timer);
      document.title = base;
    };
  }, [headline]);

  // Each new real alert once, as a notification while the tab is in the background.
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!loaded) return;
    const ids = items.flatMap((i) => i.alerts.map((a) => a.id));
    if (!seen.current) {
      seen.current = new Set(ids);
      return;
    }
    const fresh = items.filter((i) => i.alerts.some((a) => !seen.current?.has(a.id)));
    for (const id of ids) seen.current.add(id);
    if (fresh.length === 0 || document.visibilityState !== 'hidden') return;
    if (notificationPermission() !== 'granted') return;
    for (const item of fresh) {
      const [first] = item.alerts;
      const note = new Notification(itemLine(item), {
        body: item.alerts.length > 1 ? item.alerts.map((a) => a.subject).join(', ') : (first?.text ?? ''),
        tag: item.key,
        requireInteraction: true,
      });
      note.onclick = () => {
        window.focus();
        note.close();
      };
    }
  });

  const enable = () => {
    unlock();
    if (notificationPermission() === 'default') void Notification.requestPermission().catch(() => undefined);
  };
  return { items, soundBlocked: blocked, enable };
}
