import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../contract/errors.ts';
import {
  type Subject,
  SubjectBody,
  type SubjectBody as SubjectInput,
  type UpdateSubjectBody,
} from '../../contract/incidents.ts';
import { findActiveOperation, getOperation } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import {
  getSubject,
  insertSubject,
  listSubjects,
  type SubjectRow,
  updateSubject,
} from '../../store/subjects.repo.ts';
import { type Auth, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

export function toSubject(r: SubjectRow): Subject {
  return {
    id: r.id,
    operationId: r.operation_id,
    name: r.name,
    description: r.description,
    status: r.status,
    lastKnown: r.last_lat !== null && r.last_lon !== null ? { lat: r.last_lat, lon: r.last_lon } : null,
    lastSeenAt: r.last_seen_at ? iso(r.last_seen_at) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * The subjects of a search: people who are not members (the lost walker), recorded during an operation (an
 * exercise's played subject too) with a description, last known position and status. Any member may add or
 * update one: the searcher who finds them says so.
 */
export class SubjectsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The subjects of an operation (default: the active one; none when nothing is active). */
  async list(auth: Auth, teamId: string, operationId?: string): Promise<Subject[]> {
    requireMember(auth, teamId);
    const op = operationId
      ? await getOperation(this.db, operationId)
      : await findActiveOperation(this.db, teamId);
    if (operationId && (!op || op.team_id !== teamId)) throw notFound('operation');
    return op ? (await listSubjects(this.db, op.id)).map(toSubject) : [];
  }

  async add(auth: Auth, teamId: string, input: SubjectInput): Promise<Subject> {
    requireMember(auth, teamId);
    const body = SubjectBody.parse(input);
    const now = this.now();
    return this.change(auth, teamId, now, async (trx) => {
      const op = await findActiveOperation(trx, teamId);
      if (!op)
        throw conflict('no active operation: a subject is searched for during one', { field: 'operation' });
      return insertSubject(trx, {
        id: randomUUID(),
        team_id: teamId,
        operation_id: op.id,
        name: body.name,
        description: body.description,
        status: body.status,
        last_lat: body.lastKnown?.lat ?? null,
        last_lon: body.lastKnown?.lon ?? null,
        last_seen_at: body.lastSeenAt ? new Date(body.lastSeenAt) : null,
        created_by: actorOf(auth),
        created_at: now,
        updated_at: now,
      });
    });
  }

  async update(auth: Auth, teamId: string, subjectId: string, body: UpdateSubjectBody): Promise<Subject> {
    requireMember(auth, teamId);
    const now = this.now();
    return this.change(auth, teamId, now, async (trx) => {
      const row = await getSubject(trx, subjectId, true);
      if (!row || row.team_id !== teamId) throw notFound('subject');
      const moved = body.lastKnown !== undefined;
      return updateSubject(trx, subjectId, {
        name: body.name,
        description: body.description,
        status: body.status,
        ...(moved && { last_lat: body.lastKnown?.lat ?? null, last_lon: body.lastKnown?.lon ?? null }),
        ...(body.lastSeenAt !== undefined && {
          last_seen_at: body.lastSeenAt ? new Date(body.lastSeenAt) : null,
        }),
        updated_at: now,
      });
    });
  }

  /** Runs a change in a transaction, logs `subject.updated`, publishes after commit. */
  private async change(
    auth: Auth,
    teamId: string,
    now: Date,
    work: (trx: Kysely<DB>) => Promise<SubjectRow>,
  ): Promise<Subject> {
    const { subject, event } = await this.db.transaction().execute(async (trx) => {
      const subject = toSubject(await work(trx));
      const event = await logEvent(trx, teamId, { type: 'subject.updated', subject }, actorOf(auth), now);
      return { subject, event };
    });
    publishEvents(this.bus, teamId, [event]);
    return subject;
  }
}
