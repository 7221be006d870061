import { useEffect } from 'react';
import { startSiren } from '../shared/alarm-audio.ts';

/** The real-alert vibration: long pulses, repeated while the alert is on screen. */
const VIBRATE_PATTERN = [900, 250, 900, 250, 900];
const VIBRATE_EVERY_MS = 4000;

/**
 * The real-alert signal, used for nothing else: a continuous rising-and-falling tone (Web Audio)
 * and a long vibration pattern, while `on`. A new `restartKey` (a reminder) starts it afresh.
 */
export function useSiren(on: boolean, restartKey: number): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: each reminder (a new key) sounds the alarm afresh
  useEffect(() => {
    if (!on) return;
    const vibrate = () => navigator.vibrate?.(VIBRATE_PATTERN);
    vibrate();
    const buzz = setInterval(vibrate, VIBRATE_EVERY_MS);
    const stopTone = startSiren();
    return () => {
      clearInterval(buzz);
      navigator.vibrate?.(0);
      stopTone();
    };
  }, [on, restartKey]);
}
