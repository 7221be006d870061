import type { DetectionDrill } from '../../../src/contract/detection-drills.ts';

interface Props {
  drill: DetectionDrill;
  callsign: (memberId: string) => string;
  /** Whether the caller may change a record (a leader, once the drill has started). */
  editable: boolean;
  busy: boolean;
  onToggle: (objectId: string, searcherId: string, found: boolean) => void;
}

/** Objects down, searchers across: found ✓ or not ✗, and how close the searcher's track came (m). */
export function DetectionTable({ drill, callsign, editable, busy, onToggle }: Props) {
  const found = (objectId: string, searcherId: string) =>
    drill.records.some((r) => r.objectId === objectId && r.searcherId === searcherId && r.found);
  const trial = (objectId: string, searcherId: string) =>
    drill.trials.find((t) => t.objectId === objectId && t.searcherId === searcherId);
  return (
    <div className="score-table-wrap">
      <table className="score-table detection-table" data-testid="detection-table">
        <thead>
          <tr>
            <th>Object</th>
            {drill.searcherIds.map((id) => (
              <th key={id}>{callsign(id)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {drill.objects.map((o) => (
            <tr key={o.id}>
              <th scope="row">{o.label}</th>
              {drill.searcherIds.map((s) => {
                const yes = found(o.id, s);
                const t = trial(o.id, s);
                const range = t ? `${t.lateralRangeM.toFixed(1)} m${t.counted ? '' : ' (not passed)'}` : '—';
                const mark = yes ? '✓' : '✗';
                return (
                  <td key={s} className={yes ? 'found' : 'missed'}>
                    {editable ? (
                      <button
                        type="button"
                        className="find-toggle"
                        disabled={busy}
                        aria-pressed={yes}
                        aria-label={`${o.label} found by ${callsign(s)}`}
                        data-testid={`toggle-${o.label}-${callsign(s)}`}
                        onClick={() => onToggle(o.id, s, !yes)}
                      >
                        {mark}
                      </button>
                    ) : (
                      <span className="find-mark">{mark}</span>
                    )}{' '}
                    <span className="muted">{range}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
