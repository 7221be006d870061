import { useCallback, useEffect, useState } from 'react';
import type { Drill } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { findersAmong } from '../../../src/domain/drill-roles.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import { useFieldOutbox } from './outbox.ts';

/**
 * The trackers this member presses Found for in a running tracking drill: themself, and the K9s they handle.
 * Empty outside a running tracking drill.
 */
export function findersFor(op: Operation | null, me: Me | null, members: readonly Member[]): Member[] {
  if (!op || !me || op.type !== 'tracking' || op.state !== 'running') return [];
  const trackers = new Set(op.participants.filter((p) => p.role === 'tracker').map((p) => p.memberId));
  return findersAmong(me.memberId, trackers, members);
}

interface Props {
  token: string;
  me: Me | null;
  /** The team's active operation and members, from the field page's live team. */
  operation: Operation | null;
  members: readonly Member[];
}

/** A tracker's (or a K9 handler's) big "Found" button during a running tracking drill: records the find once. */
export function FindButton({ token, me, operation, members }: Props) {
  const finders = findersFor(operation, me, members);
  const drillId = finders.length > 0 ? (operation?.id ?? null) : null;
  const [finds, setFinds] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const outbox = useFieldOutbox();

  const showFinds = useCallback((d: Drill) => {
    setFinds(Object.fromEntries(d.finds.map((f) => [f.trackerId, f.time])));
  }, []);
  useEffect(() => {
    if (!drillId) return setFinds({});
    api<Drill>(`/api/drills/${drillId}`, { token })
      .then(showFinds)
      .catch(() => undefined);
  }, [drillId, token, showFinds]);

  if (!drillId || !operation) return null;
  // The moment of the press goes with it: a find sent later from the outbox keeps its true time.
  const press = (trackerId: string) =>
    run(async () => {
      const time = new Date().toISOString();
      const body = { trackerId, time };
      const drill = await outbox.send<Drill>('find', `/api/drills/${drillId}/find`, body, 'Found');
      if (drill) showFinds(drill);
      else setFinds((f) => ({ ...f, [trackerId]: time }));
      return true;
    });
  return (
    <section className="card find-card" data-testid="find-button">
      <h2>EXERCISE · tracking drill “{operation.name}”</h2>
      {finders.map((t) => {
        const label = t.id === me?.memberId ? 'Found' : `${t.callsign} found`;
        const at = finds[t.id];
        return at ? (
          <p key={t.id}>
            <strong>{label}</strong> at {clockTime(at)} — recorded.
          </p>
        ) : (
          <button
            key={t.id}
            type="button"
            className="primary find-press"
            disabled={busy}
            onClick={() => press(t.id)}
          >
            {label}
          </button>
        );
      })}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
