interface Props {
  onUnlock: () => void;
}

/**
 * Said across the whole width while the browser holds the alarm back until the first touch: until then a
 * real alert would arrive silent and still. Tapping it (or anything) lets the siren and vibration through.
 */
export function AlarmUnlockBar({ onUnlock }: Props) {
  return (
    <button type="button" className="alarm-unlock" data-testid="alarm-unlock" onClick={onUnlock}>
      Tap to enable the alarm sound
    </button>
  );
}
