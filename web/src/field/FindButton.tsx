import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../../src/contract/auth.ts';
import type { Drill } from '../../../src/contract/drills.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

/** The running tracking drill in which this member is a tracker, if any. */
function myRunningDrill(op: Operation | null, memberId: string | null): Operation | null {
  if (!op || !memberId || op.type !== 'tracking' || op.state !== 'running') return null;
  return op.participants.some((p) => p.memberId === memberId && p.role === 'tracker') ? op : null;
}

interface Props {
  token: string;
  me: Me | null;
  /** The team's active operation, from the field page's live team. */
  operation: Operation | null;
}

/** A tracker's big "Found" button during a running tracking drill: records the find (once). */
export function FindButton({ token, me, operation }: Props) {
  const [found, setFound] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const drill = myRunningDrill(operation, me?.memberId ?? null);
  const drillId = drill?.id ?? null;

  const loadFind = useCallback(async () => {
    if (!drillId || !me) return setFound(null);
    const d = await api<Drill>(`/api/drills/${drillId}`, { token }).catch(() => null);
    setFound(d?.finds.find((f) => f.trackerId === me.memberId)?.time ?? null);
  }, [drillId, me, token]);
  useEffect(() => {
    loadFind();
  }, [loadFind]);

  if (!drill) return null;
  const press = () =>
    run(async () => {
      const d = await api<Drill>(`/api/drills/${drill.id}/find`, { method: 'POST', token, body: {} });
      setFound(d.finds.find((f) => f.trackerId === me?.memberId)?.time ?? new Date().toISOString());
    });
  return (
    <section data-testid="find-button">
      <div
        className="card"
        style={{ background: 'var(--exercise-stripes)', border: '2px solid var(--exercise)' }}
      >
        <h2>EXERCISE · tracking drill “{drill.name}”</h2>
        {found ? (
          <p>
            <strong>Found</strong> at {new Date(found).toLocaleTimeString()} — recorded.
          </p>
        ) : (
          <button
            type="button"
            className="primary"
            style={{ width: '100%', minHeight: 96, fontSize: '1.8rem', fontWeight: 800 }}
            disabled={busy}
            onClick={press}
          >
            Found
          </button>
        )}
        {error && <p className="error">{error}</p>}
      </div>
    </section>
  );
}
