import { useEffect, useRef, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { startSiren, useAlarmUnlock } from '../shared/alarm-audio.ts';
import { type AlertItem, itemLine, pendingItems } from '../shared/alert-view.ts';

/** How often the tab title flashes while a real alert waits, in ms. */
const FLASH_MS = 1000;
/** How long "Silence" quiets the siren (a new real alert sounds at once). */
export const SILENCE_MS = 60_000;

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
  /** The siren is quiet until this moment (epoch ms) unless a new real alert comes; null: not silenced. */
  silencedUntilMs: number | null;
  /** Quiets the siren for SILENCE_MS without acknowledging anything; null when nothing sounds. */
  silence: (() => void) | null;
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
  const ids = items.flatMap((i) => i.alerts.map((a) => a.id));
  const [silenced, setSilenced] = useState<{ untilMs: number; ids: ReadonlySet<string> } | null>(null);
  // Silence covers the alerts that were sounding then: a new one sounds at once.
  const quiet = silenced !== null && ids.every((id) => silenced.ids.has(id));
  const sounding = items.length > 0 && !quiet;
  useEffect(() => {
    if (!silenced) return;
    const timer = setTimeout(() => setSilenced(null), Math.max(0, silenced.untilMs - Date.now()));
    return () => clearTimeout(timer);
  }, [silenced]);

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
  const silence = sounding
    ? () => setSilenced({ untilMs: Date.now() + SILENCE_MS, ids: new Set(ids) })
    : null;
  return { items, soundBlocked: blocked, enable, silencedUntilMs: quiet ? silenced.untilMs : null, silence };
}
