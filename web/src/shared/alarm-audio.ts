import { useCallback, useEffect, useState } from 'react';

let context: AudioContext | null = null;

/** The page's one AudioContext, created on first use (suspended until a user gesture in most browsers). */
export function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor =
    window.AudioContext ??
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

interface UserActivation {
  readonly hasBeenActive: boolean;
}

/**
 * Whether the browser still holds the alarm back until the first touch: the AudioContext is not running,
 * or (with `vibration`) the page has not been touched yet, before which phones ignore `navigator.vibrate`.
 */
export function alarmBlocked(vibration: boolean): boolean {
  const ctx = audioContext();
  if (ctx && ctx.state !== 'running') return true;
  const activation = (navigator as Navigator & { userActivation?: UserActivation }).userActivation;
  return vibration && 'vibrate' in navigator && activation !== undefined && !activation.hasBeenActive;
}

/** Resumes the AudioContext: call it from a user gesture (a tap, a click, a key). */
export function unlockAudio(): Promise<void> {
  const ctx = audioContext();
  if (!ctx || ctx.state === 'running') return Promise.resolve();
  return ctx.resume().catch(() => undefined);
}

/**
 * The gestures that let the sound through. Not the press itself (pointerdown, touchend): the bar saying the
 * sound is blocked would vanish between press and release, the page would shift under the finger, and the
 * tap would miss what it was meant for. The click that follows still counts as the user's gesture.
 */
const GESTURES = ['click', 'keydown'] as const;

/**
 * Browsers let a page make sound (and phones vibrate) only after a user gesture: the first tap or key
 * anywhere on the page resumes the AudioContext, so an alarm arriving later sounds at once. Returns whether
 * the alarm is still held back (say so on screen) and a function that unlocks it from a click.
 */
export function useAlarmUnlock(vibration: boolean): { blocked: boolean; unlock: () => void } {
  const [blocked, setBlocked] = useState(() => alarmBlocked(vibration));
  const check = useCallback(() => setBlocked(alarmBlocked(vibration)), [vibration]);
  const unlock = useCallback(() => {
    void unlockAudio().then(check);
    check();
  }, [check]);
  useEffect(() => {
    const ctx = audioContext();
    const opts = { capture: true } as const;
    ctx?.addEventListener('statechange', check);
    for (const e of GESTURES) window.addEventListener(e, unlock, opts);
    // Some browsers start the context a moment after it is created, or after a gesture we did not see.
    const poll = setInterval(check, 1000);
    check();
    return () => {
      ctx?.removeEventListener('statechange', check);
      for (const e of GESTURES) window.removeEventListener(e, unlock, opts);
      clearInterval(poll);
    };
  }, [check, unlock]);
  return { blocked, unlock };
}

/**
 * The real-alert tone, used for nothing else: a continuous square wave swept slowly up and down (Web Audio,
 * generated, nothing to download). Returns the function that stops it; nothing sounds without Web Audio.
 */
export function startSiren(): () => void {
  const ctx = audioContext();
  if (!ctx) return () => undefined;
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
  return () => {
    tone.stop();
    sweep.stop();
    volume.disconnect();
  };
}
