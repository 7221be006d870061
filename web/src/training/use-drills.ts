import { useCallback, useEffect, useState } from 'react';
import type { Drill, DrillSummary, DrillTracks, Progress } from '../../../src/contract/drills.ts';
import { ApiError, api, errorMessage } from '../shared/api.ts';

/** Loads `path` now and whenever `key` changes; `reload` loads again. */
export function useFetched<T>(path: string | null, key = 0) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick are reload triggers
  useEffect(() => {
    if (!path) return;
    const abort = new AbortController();
    api<T>(path, { signal: abort.signal })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((err) => {
        if (!abort.signal.aborted) setError(errorMessage(err));
      });
    return () => abort.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload, setData };
}

export const useDrillList = (key: number) => useFetched<{ drills: DrillSummary[] }>('/api/drills', key);
export const useDrill = (id: string, key: number) => useFetched<Drill>(`/api/drills/${id}`, key);
export const useDrillTracks = (id: string, key: number) =>
  useFetched<DrillTracks>(`/api/drills/${id}/tracks`, key);

export function useProgress(memberId: string, skillId?: string | null, key = 0) {
  const query = skillId ? `?skillId=${encodeURIComponent(skillId)}` : '';
  return useFetched<Progress>(`/api/members/${memberId}/progress${query}`, key);
}

/** Uploads a GPX or KML file as a participant's track; the drill as scored after it. */
export async function uploadTrack(drillId: string, memberId: string, file: File): Promise<Drill> {
  const kml = /\.kml$/i.test(file.name);
  const res = await fetch(
    `/api/drills/${drillId}/tracks/${memberId}?fileName=${encodeURIComponent(file.name)}`,
    {
      method: 'PUT',
      headers: {
        accept: 'application/json',
        'content-type': kml ? 'application/vnd.google-earth.kml+xml' : 'application/gpx+xml',
      },
      body: file,
      credentials: 'same-origin',
    },
  );
  const body = (await res.json().catch(() => undefined)) as
    | (Drill & { error?: { code: string; message: string } })
    | undefined;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      body?.error?.code ?? `http_${res.status}`,
      body?.error?.message ?? `The server answered ${res.status}`,
    );
  }
  return body as Drill;
}
