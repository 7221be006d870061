import { useEffect, useState } from 'react';
import type { DetectionSheet as Sheet } from '../../../src/contract/detection-drills.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { useFieldOutbox } from './outbox.ts';

/** Whether this member searches in the running detection drill (the sheet is theirs to tick). */
export function searchesIn(op: Operation | null, me: Me | null): boolean {
  if (!op || !me || op.type !== 'detection' || op.state !== 'running') return false;
  return op.participants.some((p) => p.memberId === me.memberId && p.role === 'searcher');
}

interface Props {
  token: string;
  me: Me | null;
  operation: Operation | null;
  /** Changes when a drill changed (the live `drill.updated`): the sheet is read again. */
  revision: number;
}

/**
 * A searcher's sheet during a running detection drill: what to look for (the objects' labels, never where they
 * are) with a "Found" toggle each.
 */
export function DetectionSheet({ token, me, operation, revision }: Props) {
  const drillId = searchesIn(operation, me) ? (operation?.id ?? null) : null;
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const { busy, error, run } = useAction();
  const outbox = useFieldOutbox();

  // biome-ignore lint/correctness/useExhaustiveDependencies: revision is a reload trigger
  useEffect(() => {
    if (!drillId) return setSheet(null);
    api<Sheet>(`/api/detection-drills/${drillId}/sheet`, { token })
      .then(setSheet)
      .catch(() => undefined);
  }, [drillId, token, revision]);

  if (!drillId || !operation || !sheet) return null;
  const toggle = (objectId: string, found: boolean) =>
    run(async () => {
      const path = `/api/detection-drills/${drillId}/records`;
      const label = found ? 'Found' : 'Not found';
      const next = await outbox.send<Sheet>('find', path, { objectId, found }, label);
      setSheet(
        next ?? {
          ...sheet,
          objects: sheet.objects.map((o) => (o.id === objectId ? { ...o, found } : o)),
        },
      );
      return true;
    });
  return (
    <section className="card find-card" data-testid="detection-sheet">
      <h2>EXERCISE · detection drill “{operation.name}”</h2>
      <p className="muted">Tick each object when you find it. Where they are is shown after ENDEX.</p>
      <ul className="detection-sheet">
        {sheet.objects.map((o) => (
          <li key={o.id}>
            <span>{o.label}</span>
            <button
              type="button"
              className={o.found ? 'primary' : ''}
              aria-pressed={o.found}
              disabled={busy}
              onClick={() => toggle(o.id, !o.found)}
            >
              {o.found ? 'Found ✓' : 'Found'}
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
