import { useEffect, useState } from 'react';

export type WakeLockState = 'unsupported' | 'on' | 'off';

/** Keeps the screen on while the page is visible, so the phone keeps sending. */
export function useWakeLock(enabled: boolean): WakeLockState {
  const [state, setState] = useState<WakeLockState>('wakeLock' in navigator ? 'off' : 'unsupported');
  useEffect(() => {
    if (!enabled || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let disposed = false;
    const request = async () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        sentinel = await navigator.wakeLock.request('screen');
        if (disposed) {
          await sentinel.release();
          return;
        }
        setState('on');
        sentinel.addEventListener('release', () => !disposed && setState('off'));
      } catch {
        setState('off');
      }
    };
    void request();
    // The lock is dropped whenever the page is hidden; take it again on return.
    document.addEventListener('visibilitychange', request);
    return () => {
      disposed = true;
      document.removeEventListener('visibilitychange', request);
      void sentinel?.release().catch(() => undefined);
    };
  }, [enabled]);
  return state;
}

interface BatteryManagerLike extends EventTarget {
  level: number;
}

/** The phone's battery level in percent, where the browser tells it (Chrome on Android does). */
export function useBattery(): number | null {
  const [level, setLevel] = useState<number | null>(null);
  useEffect(() => {
    const nav = navigator as Navigator & { getBattery?: () => Promise<BatteryManagerLike> };
    if (!nav.getBattery) return;
    let battery: BatteryManagerLike | null = null;
    const update = () => battery && setLevel(Math.round(battery.level * 100));
    nav
      .getBattery()
      .then((b) => {
        battery = b;
        update();
        b.addEventListener('levelchange', update);
      })
      .catch(() => undefined);
    return () => battery?.removeEventListener('levelchange', update);
  }, []);
  return level;
}
