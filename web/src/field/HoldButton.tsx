import { type ReactNode, useEffect, useRef, useState } from 'react';

interface Props {
  /** How long it must be held, in ms. */
  holdMs?: number;
  onDone: () => void;
  disabled?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}

const TICK_MS = 40;

type Timers = { tick: ReturnType<typeof setInterval>; done: ReturnType<typeof setTimeout> };

function stopTimers(timers: { current: Timers | null }, startedAt: { current: number | null }): void {
  if (timers.current) {
    clearInterval(timers.current.tick);
    clearTimeout(timers.current.done);
  }
  timers.current = null;
  startedAt.current = null;
}

/**
 * A button that acts only when held down for `holdMs` (finger, mouse, or Space/Enter held): a tap
 * or a pocket brush does nothing. The fill shows how far along the hold is.
 */
export function HoldButton({ holdMs = 1500, onDone, disabled, className, testId, children }: Props) {
  const [progress, setProgress] = useState(0);
  const startedAt = useRef<number | null>(null);
  const timers = useRef<Timers>(null);
  const done = useRef(onDone);
  done.current = onDone;

  const clear = () => stopTimers(timers, startedAt);
  useEffect(() => () => stopTimers(timers, startedAt), []);

  const begin = () => {
    if (disabled || startedAt.current !== null) return;
    const t0 = Date.now();
    startedAt.current = t0;
    timers.current = {
      tick: setInterval(() => setProgress(Math.min(1, (Date.now() - t0) / holdMs)), TICK_MS),
      done: setTimeout(() => {
        clear();
        setProgress(0);
        done.current();
      }, holdMs),
    };
  };
  const cancel = () => {
    clear();
    setProgress(0);
  };
  const isHoldKey = (key: string) => key === ' ' || key === 'Enter';

  return (
    <button
      type="button"
      className={`hold-button ${className ?? ''}`}
      data-testid={testId}
      data-progress={progress.toFixed(2)}
      disabled={disabled}
      style={{ '--hold': progress } as React.CSSProperties}
      onPointerDown={(ev) => {
        ev.currentTarget.setPointerCapture?.(ev.pointerId);
        begin();
      }}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onLostPointerCapture={cancel}
      onKeyDown={(ev) => {
        if (!isHoldKey(ev.key)) return;
        ev.preventDefault();
        if (!ev.repeat) begin();
      }}
      onKeyUp={(ev) => isHoldKey(ev.key) && cancel()}
      onBlur={cancel}
      onContextMenu={(ev) => ev.preventDefault()}
    >
      <span className="hold-fill" aria-hidden="true" />
      <span className="hold-label">{children}</span>
    </button>
  );
}
