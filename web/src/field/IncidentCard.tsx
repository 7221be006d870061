import { useEffect, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { LatLon } from '../../../src/contract/common.ts';
import type { Subject } from '../../../src/contract/incidents.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { whereFrom } from '../shared/alert-view.ts';
import { api } from '../shared/api.ts';
import { SUBJECT_STATUS_WORD } from '../shared/subject-view.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';

/** The alert that opened an incident (escalation, SOS, callout): who raised it, what they said, where. */
export function openingAlertOf(alerts: readonly Alert[], incident: Operation): Alert | null {
  return alerts.find((a) => a.type === 'escalation' && a.operationId === incident.id) ?? null;
}

/**
 * The members of the exercise an incident interrupted: they are on scene already. Empty for a callout.
 */
export function useOnScene(token: string, incident: Operation | null): ReadonlySet<string> {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const exerciseId = incident?.escalatedFrom ?? null;
  useEffect(() => {
    if (!exerciseId) {
      setIds(new Set());
      return;
    }
    let live = true;
    api<Operation>(`/api/operations/${exerciseId}`, { token })
      .then((op) => live && setIds(new Set(op.participants.map((p) => p.memberId))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [token, exerciseId]);
  return ids;
}

interface Props {
  token: string;
  incident: Operation;
  opening: Alert | null;
  subjects: readonly Subject[];
  own: LatLon | null;
}

/** What the incident is, once its alert is acknowledged: its name, what was said, who raised it, where. */
export function IncidentCard({ token, incident, opening, subjects, own }: Props) {
  const where = opening?.position ?? null;
  const from = whereFrom(own, where);
  const said = incident.scenario.trim();
  return (
    <section className="card incident-card" data-testid="incident-card">
      <p className="incident-tag">REAL INCIDENT</p>
      <h2>{incident.name}</h2>
      {said && said !== incident.name && <p className="incident-text">{said}</p>}
      <p className="muted">
        {opening
          ? `Raised by ${opening.sender} at ${clockTime(opening.time)}`
          : `Open since ${clockTime(incident.startedAt ?? incident.createdAt)}`}
        {incident.escalatedFrom ? ' · the exercise is suspended' : ''}
      </p>
      {where && (
        <p data-testid="incident-where">
          {incident.escalatedFrom ? 'Scene' : 'Rendezvous'}: {where.lat.toFixed(5)}, {where.lon.toFixed(5)}
          {from && <> · {from} from you</>} <a href={`geo:${where.lat},${where.lon}`}>Open in maps</a>
        </p>
      )}
      {subjects.map((s) => (
        <SubjectLine key={s.id} token={token} subject={s} own={own} />
      ))}
    </section>
  );
}

const STILL_SEARCHED = new Set<Subject['status']>(['missing', 'located']);

/** A subject of the search as a searcher sees it, with "We are with them" at this phone's position. */
function SubjectLine({ token, subject: s, own }: { token: string; subject: Subject; own: LatLon | null }) {
  const { busy, error, run } = useAction();
  const from = whereFrom(own, s.lastKnown);
  const found = () =>
    run(() =>
      api<Subject>(`/api/subjects/${s.id}`, {
        method: 'PATCH',
        token,
        body: {
          status: 'with_team',
          ...(own ? { lastKnown: { lat: own.lat, lon: own.lon }, lastSeenAt: new Date().toISOString() } : {}),
        },
      }),
    );
  return (
    <div className="incident-subject" data-testid="field-subject">
      <p>
        Searching for <strong>{s.name}</strong>: {SUBJECT_STATUS_WORD[s.status]}
        {from && <> · last known {from} from you</>}
      </p>
      {s.description && <p className="muted">{s.description}</p>}
      {STILL_SEARCHED.has(s.status) && (
        <button type="button" disabled={busy} onClick={() => void found()}>
          We are with {s.name.split(',')[0]}
        </button>
      )}
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}
