import type { Attended, Qualification } from '../../contract/training.ts';
import { playedSeconds } from '../../domain/operation.ts';
import { operationHours, qualificationStatus } from '../../domain/readiness.ts';
import type { QualificationRow } from '../../store/qualifications.repo.ts';
import type { IncidentRollCall, OperationTaken, SessionAttended } from '../../store/training.repo.ts';

// Turns what the store knows a member took part in into the record's items, with their hours.

const HOUR_MS = 3_600_000;
/** What an exercise of each type is in a member's record. */
const OPERATION_ITEM = { general: 'exercise', tracking: 'drill', detection: 'detection_drill' } as const;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** An attended item with its wall-clock span, for bucketing its hours into months. */
export type TimedAttended = Attended & { memberId: string; startMs: number; endMs: number };

/** An exercise or drill counts its played time (pauses left out), or ENDEX − STARTEX when recorded afterwards. */
function operationItem(o: OperationTaken, nowMs: number): TimedAttended {
  const startMs = new Date(o.started_at).getTime();
  const endedMs = o.ended_at ? new Date(o.ended_at).getTime() : null;
  const runningSinceMs = o.running_since ? new Date(o.running_since).getTime() : null;
  const { hours, endMs } = operationHours(
    {
      incident: o.kind === 'incident',
      startMs,
      endedMs,
      playedS: playedSeconds(o.played_s, runningSinceMs, nowMs),
      runningSinceMs,
    },
    nowMs,
  );
  return {
    memberId: o.member_id,
    kind: o.kind === 'incident' ? 'incident' : OPERATION_ITEM[o.type],
    id: o.operation_id,
    name: o.name,
    role: o.role,
    start: new Date(startMs).toISOString(),
    end: iso(o.ended_at),
    hours,
    shareFollowed: o.share_followed,
    skillIds: [],
    startMs,
    endMs,
  };
}

function sessionItem(s: SessionAttended): TimedAttended {
  const startMs = s.starts_at.getTime();
  const endMs = s.ends_at.getTime();
  return {
    memberId: s.member_id,
    kind: 'session',
    id: s.session_id,
    name: s.title,
    role: 'present',
    start: iso(s.starts_at) ?? '',
    end: iso(s.ends_at),
    hours: (endMs - startMs) / HOUR_MS,
    shareFollowed: null,
    skillIds: [],
    startMs,
    endMs,
  };
}

/** Incidents a member was only accounted for in (roll call), not deployed to: listed, no hours. */
function rollCallItem(r: IncidentRollCall, memberId: string): TimedAttended {
  const startMs = r.started_at.getTime();
  return {
    memberId,
    kind: 'incident',
    id: r.operation_id,
    name: r.name,
    role: 'roll call',
    start: r.started_at.toISOString(),
    end: iso(r.ended_at),
    hours: 0,
    shareFollowed: null,
    skillIds: [],
    startMs,
    endMs: startMs,
  };
}

/** Everything the members took part in, each item once per member, with the skills practised in it. */
export function attendedItems(
  taken: {
    operations: readonly OperationTaken[];
    rollCalls: readonly IncidentRollCall[];
    sessions: readonly SessionAttended[];
    skillsOf: ReadonlyMap<string, string[]>;
  },
  memberIds: ReadonlySet<string>,
  nowMs: number,
): TimedAttended[] {
  const items = [
    ...taken.operations.map((o) => operationItem(o, nowMs)),
    ...taken.sessions.map(sessionItem),
  ].filter((i) => memberIds.has(i.memberId));
  const seen = new Set(items.map((i) => `${i.memberId}/${i.id}`));
  for (const r of taken.rollCalls) {
    for (const m of r.member_ids) {
      if (memberIds.has(m) && !seen.has(`${m}/${r.operation_id}`)) items.push(rollCallItem(r, m));
    }
  }
  return items.map((i) => ({ ...i, skillIds: taken.skillsOf.get(i.id) ?? [] }));
}

/**
 * A K9 trains with its handler: a handler's items include their K9's drills, exercises and sessions they are
 * not listed in themselves, with the K9's hours ("handler of REX"). `dogs` maps each K9 to its handler.
 */
export function withHandlersItems(
  items: readonly TimedAttended[],
  dogs: ReadonlyMap<string, { handlerId: string; callsign: string }>,
  memberIds: ReadonlySet<string>,
): TimedAttended[] {
  const own = items.filter((i) => memberIds.has(i.memberId));
  const seen = new Set(own.map((i) => `${i.memberId}/${i.id}`));
  const out = [...own];
  for (const i of items) {
    const dog = dogs.get(i.memberId);
    if (!dog || !memberIds.has(dog.handlerId) || i.role === 'roll call') continue;
    const key = `${dog.handlerId}/${i.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...i, memberId: dog.handlerId, role: `handler of ${dog.callsign}` });
  }
  return out;
}

export function toQualification(q: QualificationRow, nowMs: number): Qualification {
  const expires = q.expires_at ? new Date(q.expires_at) : null;
  return {
    id: q.id,
    memberId: q.member_id,
    skillId: q.skill_id,
    skillName: q.skill_name,
    signedOffBy: q.signed_off_by,
    signedOffByCallsign: q.signer_callsign,
    signedAt: new Date(q.signed_at).toISOString(),
    expiresAt: expires?.toISOString() ?? null,
    note: q.note,
    status: qualificationStatus(expires?.getTime() ?? null, nowMs),
  };
}

/** The rules' view of a stored sign-off. */
export function signOffOf(q: QualificationRow) {
  return {
    skillId: q.skill_id,
    signedAtMs: new Date(q.signed_at).getTime(),
    expiresAtMs: q.expires_at ? new Date(q.expires_at).getTime() : null,
    revoked: q.revoked_at !== null,
  };
}
