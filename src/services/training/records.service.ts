import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { badRequest, HowlError, notFound } from '../../contract/errors.ts';
import type { HoursQuery, MemberRecord, Readiness } from '../../contract/training.ts';
import {
  currentSignOffs,
  fieldReadiness,
  type HoursRow,
  hoursByMonth,
  hoursCsv,
  monthOf,
  monthRange,
  requiredOf,
  roundHours,
  shiftMonth,
} from '../../domain/readiness.ts';
import { getMember, listMembers, type MemberRow } from '../../store/members.repo.ts';
import { listQualifications } from '../../store/qualifications.repo.ts';
import type { DB } from '../../store/schema.ts';
import { skillsOfSessions } from '../../store/sessions.repo.ts';
import { listSkills } from '../../store/skills.repo.ts';
import {
  incidentRollCalls,
  operationsTaken,
  sessionsAttended,
  skillsOfOperations,
} from '../../store/training.repo.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { toSkill } from './training.service.ts';
import {
  attendedItems,
  signOffOf,
  type TimedAttended,
  toQualification,
  withHandlersItems,
} from './training-activities.ts';

/** Members' training records, the team's readiness, and hours per member per month. */
export class RecordsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A member's record: their own, a K9's for its handler, anyone's in the team for a leader. */
  async record(auth: Auth, teamId: string, memberId: string): Promise<MemberRecord> {
    requireMember(auth, teamId);
    const m = await getMember(this.db, memberId);
    if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
    const mayRead =
      auth.kind === 'admin' ||
      auth.role === 'leader' ||
      auth.memberId === m.id ||
      auth.memberId === m.handler_id;
    if (!mayRead) throw new HowlError(403, 'forbidden', "only a leader may read another member's record");
    const nowMs = this.now().getTime();
    const [skills, quals, items] = await Promise.all([
      listSkills(this.db, teamId, true),
      listQualifications(this.db, teamId, memberId),
      this.items(teamId, [m], memberId),
    ]);
    const current = skills.filter((s) => !s.archived_at).map(toSkill);
    const ready = fieldReadiness(requiredOf(current, m.kind), quals.map(signOffOf), nowMs);
    const names = new Map(skills.map((s) => [s.id, s.name]));
    const practice = new Map<string, { times: number; hours: number; last: string | null }>();
    for (const i of items) {
      for (const id of i.skillIds) {
        const p = practice.get(id) ?? { times: 0, hours: 0, last: null };
        p.times += 1;
        p.hours += i.hours;
        if (!p.last || i.start > p.last) p.last = i.start;
        practice.set(id, p);
      }
    }
    return {
      memberId: m.id,
      callsign: m.callsign,
      name: m.name,
      kind: m.kind,
      handlerId: m.handler_id,
      fieldReady: ready.fieldReady,
      notReadyBecause: ready.reasons,
      qualifications: quals.map((q) => toQualification(q, nowMs)),
      attended: items
        .sort((a, b) => b.startMs - a.startMs)
        .map(({ memberId: _m, startMs: _s, endMs: _e, ...a }) => ({ ...a, hours: roundHours(a.hours) })),
      hoursTotal: roundHours(items.reduce((sum, i) => sum + i.hours, 0)),
      skills: [...practice]
        .map(([skillId, p]) => ({
          skillId,
          name: names.get(skillId) ?? '?',
          ...p,
          hours: roundHours(p.hours),
        }))
        .sort((a, b) => b.times - a.times || a.name.localeCompare(b.name)),
    };
  }

  /** Who is qualified for what, what expires within 30 days, and hours per member per month (leader). */
  async readiness(auth: Auth, teamId: string, query: z.output<typeof HoursQuery>): Promise<Readiness> {
    requireLeader(auth, teamId);
    const months = this.months(query);
    const nowMs = this.now().getTime();
    const [skills, members, quals] = await Promise.all([
      listSkills(this.db, teamId),
      listMembers(this.db, teamId),
      listQualifications(this.db, teamId),
    ]);
    const catalogue = skills.map(toSkill);
    const byMember = groupBy(quals, (q) => q.member_id);
    const rows = members.map((m) => {
      const mine = byMember.get(m.id) ?? [];
      const latest = currentSignOffs(mine.map((q) => ({ ...signOffOf(q), row: q })));
      const ready = fieldReadiness(requiredOf(catalogue, m.kind), mine.map(signOffOf), nowMs);
      return {
        memberId: m.id,
        callsign: m.callsign,
        kind: m.kind,
        fieldReady: ready.fieldReady,
        notReadyBecause: ready.reasons,
        qualifications: [...latest.values()].map((l) => toQualification(l.row, nowMs)),
      };
    });
    const expiringSoon = rows
      .flatMap((r) => r.qualifications)
      .filter((q) => q.status === 'expiring')
      .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
    const hours = await this.hours(teamId, members, months);
    return {
      skills: catalogue,
      members: rows,
      expiringSoon,
      hours: {
        months,
        rows: hours.map((h) => ({
          memberId: h.memberId,
          callsign: h.callsign,
          hours: [...h.hours],
          total: h.total,
        })),
      },
    };
  }

  /** The hours report as CSV, for grant and hour reports (leader). */
  async hoursCsv(
    auth: Auth,
    teamId: string,
    query: z.output<typeof HoursQuery>,
  ): Promise<{ csv: string; from: string; to: string }> {
    requireLeader(auth, teamId);
    const months = this.months(query);
    const rows = await this.hours(teamId, await listMembers(this.db, teamId), months);
    return { csv: hoursCsv(months, rows), from: months[0] ?? '', to: months.at(-1) ?? '' };
  }

  private months(query: z.output<typeof HoursQuery>): string[] {
    const to = query.to ?? monthOf(this.now().getTime());
    const from = query.from ?? shiftMonth(to, -11);
    const range = monthRange(from, to);
    if (!range.ok) throw badRequest(range.field, range.message);
    return range.months;
  }

  private async hours(
    teamId: string,
    members: readonly MemberRow[],
    months: readonly string[],
  ): Promise<Array<HoursRow & { memberId: string }>> {
    const items = groupBy(await this.items(teamId, members), (i) => i.memberId);
    return members.map((m) => {
      const hours = hoursByMonth(items.get(m.id) ?? [], months);
      return {
        memberId: m.id,
        name: m.name,
        callsign: m.callsign,
        hours,
        total: roundHours(hours.reduce((a, b) => a + b, 0)),
      };
    });
  }

  /** What the members (or one of them) took part in, with hours and skills practised. */
  private async items(
    teamId: string,
    members: readonly MemberRow[],
    memberId?: string,
  ): Promise<TimedAttended[]> {
    const ids = new Set(members.map((m) => m.id));
    // The K9s these members handle: their activities count for their handlers too.
    const dogs = new Map(
      (await listMembers(this.db, teamId))
        .filter((m) => m.handler_id !== null && ids.has(m.handler_id))
        .map((m) => [m.id, { handlerId: m.handler_id as string, callsign: m.callsign }]),
    );
    const only = dogs.size > 0 ? undefined : memberId;
    const [operations, rollCalls, sessions] = await Promise.all([
      operationsTaken(this.db, teamId, only),
      incidentRollCalls(this.db, teamId),
      sessionsAttended(this.db, teamId, only),
    ]);
    const [opSkills, sessionSkills] = await Promise.all([
      skillsOfOperations(this.db, [...new Set(operations.map((o) => o.operation_id))]),
      skillsOfSessions(this.db, [...new Set(sessions.map((s) => s.session_id))]),
    ]);
    const skillsOf = new Map([...opSkills, ...sessionSkills]);
    const withDogs = new Set([...ids, ...dogs.keys()]);
    const items = attendedItems(
      { operations, rollCalls, sessions, skillsOf },
      withDogs,
      this.now().getTime(),
    );
    return withHandlersItems(items, dogs, ids);
  }
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}
