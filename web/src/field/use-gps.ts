import { useEffect, useState } from 'react';

export type GpsState =
  | { kind: 'unsupported' }
  | { kind: 'insecure' }
  | { kind: 'waiting' }
  | { kind: 'denied' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'fix'; accuracyM: number };

/** Watches the phone's position with high accuracy; calls `onFix` for every new fix. */
export function useGps(enabled: boolean, onFix: (position: GeolocationPosition) => void) {
  const [state, setState] = useState<GpsState>({ kind: 'waiting' });
  const [last, setLast] = useState<GeolocationPosition | null>(null);

  useEffect(() => {
    if (!enabled) return;
    if (!window.isSecureContext) {
      setState({ kind: 'insecure' });
      return;
    }
    if (!('geolocation' in navigator)) {
      setState({ kind: 'unsupported' });
      return;
    }
    let lastTimestamp = 0;
    const id = navigator.geolocation.watchPosition(
      (position) => {
        setState({ kind: 'fix', accuracyM: position.coords.accuracy });
        // Some browsers repeat the same fix; only new ones are sent.
        if (position.timestamp <= lastTimestamp) return;
        lastTimestamp = position.timestamp;
        setLast(position);
        onFix(position);
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) setState({ kind: 'denied' });
        else if (error.code === error.TIMEOUT) setState({ kind: 'waiting' });
        else setState({ kind: 'unavailable', message: error.message || 'Position unavailable' });
      },
      { enableHighAccuracy: true, maximumAge: 0 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled, onFix]);

  return { state, last };
}
