import { useCallback, useEffect, useRef, useState } from 'react';

export const SPEEDS = [1, 2, 5, 10, 30, 60] as const;
export type Speed = (typeof SPEEDS)[number];

/** How often the page's lists and banners follow the moment while playing; the map follows every frame. */
const STATE_EVERY_MS = 120;

export interface Player {
  /** The moment shown by the lists and banners (at most ~8 updates a second while playing). */
  tMs: number;
  playing: boolean;
  speed: Speed;
  seek(tMs: number): void;
  toggle(): void;
  setSpeed(speed: Speed): void;
  /** Calls `onFrame` with the exact moment at every animation frame and seek; returns the unsubscribe. */
  onFrame(listener: (tMs: number) => void): () => void;
  /** The exact moment now. */
  now(): number;
}

/** The replay's clock: play at 1×–60× from `fromMs` to `toMs`, pause, jump anywhere. */
export function usePlayer(fromMs: number, toMs: number): Player {
  const tRef = useRef(fromMs);
  const listeners = useRef(new Set<(tMs: number) => void>());
  const [tMs, setT] = useState(fromMs);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>(10);

  const emit = useCallback((t: number) => {
    tRef.current = t;
    for (const l of listeners.current) l(t);
  }, []);

  const seek = useCallback(
    (t: number) => {
      const clamped = Math.min(toMs, Math.max(fromMs, t));
      emit(clamped);
      setT(clamped);
    },
    [fromMs, toMs, emit],
  );

  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let last = performance.now();
    let shown = last;
    const step = (now: number) => {
      const t = Math.min(toMs, tRef.current + (now - last) * speed);
      last = now;
      emit(t);
      if (t >= toMs) {
        setT(t);
        setPlaying(false);
        return;
      }
      if (now - shown >= STATE_EVERY_MS) {
        shown = now;
        setT(t);
      }
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => {
      cancelAnimationFrame(frame);
      setT(tRef.current);
    };
  }, [playing, speed, toMs, emit]);

  const toggle = useCallback(() => {
    setPlaying((p) => {
      // Playing from the end starts again from the beginning.
      if (!p && tRef.current >= toMs) emit(fromMs);
      return !p;
    });
  }, [fromMs, toMs, emit]);

  const onFrame = useCallback((listener: (t: number) => void) => {
    listeners.current.add(listener);
    listener(tRef.current);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const now = useCallback(() => tRef.current, []);
  return { tMs, playing, speed, seek, toggle, setSpeed, onFrame, now };
}
