import { useEffect } from 'react';

/** The real-alert vibration: long pulses, repeated while the alert is on screen. */
const VIBRATE_PATTERN = [900, 250, 900, 250, 900];
const VIBRATE_EVERY_MS = 4000;

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor =
    window.AudioContext ??
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

/**
 * Browsers let a page make sound only after a user gesture: the first tap or key anywhere on the
 * page creates and resumes the AudioContext, so a real alert arriving later can sound at once.
 */
export function useAudioUnlock(): void {
  useEffect(() => {
    const unlock = () => {
      const ctx = audioContext();
      if (ctx && ctx.state !== 'running') void ctx.resume().catch(() => undefined);
    };
    const opts = { capture: true } as const;
    window.addEventListener('pointerdown', unlock, opts);
    window.addEventListener('keydown', unlock, opts);
    return () => {
      window.removeEventListener('pointerdown', unlock, opts);
      window.removeEventListener('keydown', unlock, opts);
    };
  }, []);
}

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
    const ctx = audioContext();
    let stopTone: (() => void) | null = null;
    if (ctx) {
      if (ctx.state !== 'running') void ctx.resume().catch(() => undefined);
      const tone = ctx.createOscillator();
      tone.type = 'square';
      tone.frequency.value = 860;
      // A slow sweep of ±240 Hz keeps the tone continuous yet impossible to mistake for anything else.
      const sweep = ctx.createOscillator();
      sweep.frequency.value = 1.2;
      const depth = ctx.createGain();
      depth.gain.value = 240;
      const volume = ctx.createGain();
      volume.gain.value = 0.22;
      sweep.connect(depth).connect(tone.frequency);
      tone.connect(volume).connect(ctx.destination);
      tone.start();
      sweep.start();
      stopTone = () => {
        tone.stop();
        sweep.stop();
        volume.disconnect();
      };
    }
    return () => {
      clearInterval(buzz);
      navigator.vibrate?.(0);
      stopTone?.();
    };
  }, [on, restartKey]);
}
