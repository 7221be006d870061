import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { badRequest, conflict, HowlError, notFound } from '../../contract/errors.ts';
import {
  type CalloutResponse,
  CalloutResponseBody,
  type Casualty,
  CasualtyBody,
  type IncidentBoard,
  type RollCall,
  type RollCallStatus,
  UpdateCasualtyBody,
} from '../../contract/incidents.ts';
import { type Accountability, latestAnswers } from '../../domain/roll-call.ts';
import { listContacts } from '../../store/contacts.repo.ts';
import {
  type CalloutResponseRow,
  type CasualtyRow,
  findOpenCasualty,
  getCasualty,
  insertCareEntry,
  insertCasualty,
  insertRollCall,
  insertRollCallAnswer,
  latestRollCall,
  listCalloutResponses,
  listCareLog,
  listCasualties,
  listRollCallAnswers,
  type RollCallRow,
  setRollCallMembers,
  updateCasualty,
  upsertCalloutResponse,
} from '../../store/incidents.repo.ts';
import { getMember, listMembers } from '../../store/members.repo.ts';
import { findActiveOperation, getOperation, type OperationRow } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getSubject, listSubjects, subjectNames } from '../../store/subjects.repo.ts';
import { getTeam } from '../../store/teams.repo.ts';
import { toContact } from '../alerts/alert-mappers.ts';
import type { AlertsService } from '../alerts/alerts.service.ts';
import { type Auth, requireLeader, requireMember, requireSelf } from '../core/auth.ts';
import { type EventBody, logEvent, publishEvents } from '../core/event-log.ts';
import type { IncidentOpened } from '../core/internal-events.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';
import { incidentAccountability } from './accountability.ts';
import { toSubject } from './subjects.service.ts';

type CasualtyInput = z.input<typeof CasualtyBody>;
type UpdateCasualtyInput = z.input<typeof UpdateCasualtyBody>;
type CalloutResponseInput = z.input<typeof CalloutResponseBody>;

const DEFAULT_DEADLINE_S = 180;
const iso = (d: Date | string) => new Date(d).toISOString();
const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);
const notInTeam = () =>
  new HowlError(404, 'not_found', 'memberId: no such member in this team', { field: 'memberId' });

/** Accountability and casualties of a real incident: roll calls, casualty records, callout answers. */
export class IncidentsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly alerts: AlertsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** An incident opened: every current member of the team must be accounted for. */
  async onIncidentOpened(e: IncidentOpened): Promise<void> {
    // Howl starts this roll call itself, so it has no `startedBy`.
    await this.openRollCall(e.teamId, null);
  }

  /** The leader repeats the roll call during an open incident. */
  async startRollCall(auth: Auth, teamId: string): Promise<RollCall> {
    requireLeader(auth, teamId);
    return this.openRollCall(teamId, actorOf(auth));
  }

  /** A member answers for themselves, or reports another member of the team (e.g. "I see Derek, he's injured"). */
  async answerRollCall(
    auth: Auth,
    teamId: string,
    body: { status: RollCallStatus; memberId?: string },
  ): Promise<RollCall> {
    requireMember(auth, teamId);
    const me = requireSelf(auth);
    const subjectId = body.memberId ?? me.memberId;
    if (subjectId === me.memberId && body.status === 'missing')
      throw badRequest('status', 'you cannot report yourself missing');
    const now = this.now();
    const { rollCall, event, operationId } = await this.db.transaction().execute(async (trx) => {
      await this.teamMember(trx, teamId, subjectId);
      const op = await this.openIncident(trx, teamId);
      const rc = await latestRollCall(trx, op.id, true);
      if (!rc) throw conflict('no roll call is open: a leader must start one', { field: 'rollCall' });
      // Someone who joined after the roll call began is accounted for too, once reported.
      const memberIds = [...rc.member_ids];
      if (!memberIds.includes(subjectId)) {
        memberIds.push(subjectId);
        await setRollCallMembers(trx, rc.id, memberIds);
      }
      await insertRollCallAnswer(trx, {
        roll_call_id: rc.id,
        member_id: subjectId,
        status: body.status,
        reported_by: me.memberId,
        time: now,
      });
      const rollCall = await this.toRollCall(trx, { ...rc, member_ids: memberIds });
      const event = await logEvent(trx, teamId, { type: 'rollcall.updated', rollCall }, me.memberId, now);
      return { rollCall, event, operationId: op.id };
    });
    publishEvents(this.bus, teamId, [event]);
    if (body.status === 'missing')
      await this.alerts.raiseMissing(teamId, operationId, subjectId, me.memberId);
    return rollCall;
  }

  /** Opens a casualty record for a member of the team or the subject of the search, during an active operation. */
  async addCasualty(auth: Auth, teamId: string, input: CasualtyInput): Promise<Casualty> {
    requireMember(auth, teamId);
    const body = CasualtyBody.parse(input);
    const now = this.now();
    const field = body.subjectId ? 'subjectId' : 'memberId';
    return this.casualtyChange(teamId, actorOf(auth), now, async (trx) => {
      const op = await findActiveOperation(trx, teamId);
      if (body.memberId) await this.teamMember(trx, teamId, body.memberId);
      if (body.subjectId) {
        const subject = await getSubject(trx, body.subjectId);
        if (!subject || subject.team_id !== teamId)
          throw new HowlError(404, 'not_found', 'subjectId: no such subject in this team', { field });
        if (subject.operation_id !== op?.id)
          throw conflict('subjectId: the subject of another operation', { field });
      }
      if (!op)
        throw conflict('no active operation: casualties are recorded during one', { field: 'operation' });
      const open = await findOpenCasualty(trx, op.id, body);
      if (open) {
        throw conflict(`${field}: already a casualty (${open.id}): update that record`, {
          field,
          casualtyId: open.id,
        });
      }
      return insertCasualty(trx, {
        id: randomUUID(),
        team_id: teamId,
        operation_id: op.id,
        member_id: body.memberId ?? null,
        subject_id: body.subjectId ?? null,
        triage: body.triage,
        injuries: body.injuries,
        created_at: now,
      });
    });
  }

  /** Triage change, injuries, a care log entry, evacuation, recovery. */
  async updateCasualty(
    auth: Auth,
    teamId: string,
    casualtyId: string,
    input: UpdateCasualtyInput,
  ): Promise<Casualty> {
    requireMember(auth, teamId);
    const b = UpdateCasualtyBody.parse(input);
    if (Object.values(b).every((v) => v === undefined))
      throw badRequest('body', 'nothing to change: give triage, injuries, care, evacuated or recovered');
    // A care log entry needs an author.
    const authorId = b.care === undefined ? actorOf(auth) : requireSelf(auth).memberId;
    const now = this.now();
    return this.casualtyChange(teamId, authorId, now, async (trx) => {
      const row = await getCasualty(trx, casualtyId, true);
      if (!row || row.team_id !== teamId) throw notFound('casualty');
      if (b.recovered && row.recovered_at)
        throw conflict(`recovered: already recovered at ${iso(row.recovered_at)}`, { field: 'recovered' });
      if (b.evacuated && row.evacuated_at)
        throw conflict(`evacuated: already evacuated at ${iso(row.evacuated_at)}`, { field: 'evacuated' });
      const patch = {
        ...(b.triage !== undefined && { triage: b.triage }),
        ...(b.injuries !== undefined && { injuries: b.injuries }),
        ...(b.evacuated && { evacuated_at: now }),
        ...(b.recovered && { recovered_at: now }),
      };
      const updated = Object.keys(patch).length > 0 ? await updateCasualty(trx, row.id, patch) : row;
      if (b.care !== undefined && authorId)
        await insertCareEntry(trx, { casualty_id: row.id, time: now, author_id: authorId, text: b.care });
      return updated;
    });
  }

  /** A member answers a callout: responding (with an ETA), arrived or unavailable. */
  async respondToCallout(auth: Auth, teamId: string, input: CalloutResponseInput): Promise<CalloutResponse> {
    requireMember(auth, teamId);
    const me = requireSelf(auth);
    const b = CalloutResponseBody.parse(input);
    if (b.status === 'responding' && b.etaMinutes === undefined)
      throw badRequest('etaMinutes', 'responding needs an ETA in minutes');
    const now = this.now();
    const { response, event } = await this.db.transaction().execute(async (trx) => {
      const op = await this.openIncident(trx, teamId);
      const row = await upsertCalloutResponse(trx, {
        operation_id: op.id,
        member_id: me.memberId,
        status: b.status,
        eta_minutes: b.status === 'responding' ? (b.etaMinutes ?? null) : null,
        time: now,
      });
      const response = toCalloutResponse(row);
      const body: EventBody = { type: 'callout.updated', operationId: op.id, response };
      return { response, event: await logEvent(trx, teamId, body, me.memberId, now) };
    });
    publishEvents(this.bus, teamId, [event]);
    return response;
  }

  /** The board of the team's active operation. */
  async activeBoard(auth: Auth, teamId: string): Promise<IncidentBoard> {
    requireMember(auth, teamId);
    const op = await this.active.get(teamId);
    const board = op ? await this.board(teamId, op.id) : null;
    if (!board) throw notFound('active operation');
    return board;
  }

  /** Latest roll call, casualties, contacts and callout answers of an operation (null: not this team's). */
  async board(teamId: string, operationId: string): Promise<IncidentBoard | null> {
    const op = await getOperation(this.db, operationId);
    if (!op || op.team_id !== teamId) return null;
    const [rc, casualties, subjects, contacts, callout] = await Promise.all([
      latestRollCall(this.db, operationId),
      listCasualties(this.db, operationId),
      listSubjects(this.db, operationId),
      listContacts(this.db, teamId, { operationId }),
      listCalloutResponses(this.db, operationId),
    ]);
    return {
      rollCall: rc ? await this.toRollCall(this.db, rc) : null,
      casualties: await this.toCasualties(this.db, casualties),
      subjects: subjects.map(toSubject),
      contacts: contacts.map(toContact),
      callout: callout.map(toCalloutResponse),
    };
  }

  /** Who is accounted for in the incident's latest roll call, now (undefined: none taken). */
  async accountability(teamId: string, incidentId: string): Promise<Accountability | undefined> {
    return incidentAccountability(this.db, teamId, incidentId, this.now().getTime());
  }

  private async openRollCall(teamId: string, startedBy: string | null): Promise<RollCall> {
    const now = this.now();
    const { rollCall, event } = await this.db.transaction().execute(async (trx) => {
      const op = await this.openIncident(trx, teamId);
      const team = await getTeam(trx, teamId);
      const members = await listMembers(trx, teamId);
      const deadlineS = team?.roll_call_deadline_s ?? DEFAULT_DEADLINE_S;
      const row = await insertRollCall(trx, {
        id: randomUUID(),
        team_id: teamId,
        operation_id: op.id,
        started_at: now,
        started_by: startedBy,
        deadline_at: new Date(now.getTime() + deadlineS * 1000),
        member_ids: members.map((m) => m.id),
      });
      const rollCall = await this.toRollCall(trx, row);
      const event = await logEvent(trx, teamId, { type: 'rollcall.updated', rollCall }, startedBy, now);
      return { rollCall, event };
    });
    publishEvents(this.bus, teamId, [event]);
    return rollCall;
  }

  /** Runs a casualty change in a transaction, logs `casualty.updated`, publishes after commit. */
  private async casualtyChange(
    teamId: string,
    actorId: string | null,
    now: Date,
    work: (trx: Kysely<DB>) => Promise<CasualtyRow>,
  ): Promise<Casualty> {
    const { casualty, event } = await this.db.transaction().execute(async (trx) => {
      const row = await work(trx);
      const [casualty] = await this.toCasualties(trx, [row]);
      if (!casualty) throw new Error('casualty vanished');
      const event = await logEvent(trx, teamId, { type: 'casualty.updated', casualty }, actorId, now);
      return { casualty, event };
    });
    publishEvents(this.bus, teamId, [event]);
    return casualty;
  }

  private async openIncident(db: Kysely<DB>, teamId: string): Promise<OperationRow> {
    const op = await findActiveOperation(db, teamId);
    if (op?.kind !== 'incident' || op.state !== 'open')
      throw conflict('no open incident: this needs a real incident', { field: 'operation' });
    return op;
  }

  private async teamMember(db: Kysely<DB>, teamId: string, memberId: string): Promise<void> {
    const m = await getMember(db, memberId);
    if (!m || m.team_id !== teamId || m.removed_at) throw notInTeam();
  }

  private async toRollCall(db: Kysely<DB>, rc: RollCallRow): Promise<RollCall> {
    const answers = latestAnswers(
      (await listRollCallAnswers(db, rc.id)).map((a) => ({
        memberId: a.member_id,
        status: a.status,
        reportedBy: a.reported_by,
        time: iso(a.time),
      })),
    );
    return {
      id: rc.id,
      operationId: rc.operation_id,
      startedAt: iso(rc.started_at),
      startedBy: rc.started_by,
      deadlineAt: iso(rc.deadline_at),
      memberIds: [...rc.member_ids],
      answers,
    };
  }

  private async toCasualties(db: Kysely<DB>, rows: readonly CasualtyRow[]): Promise<Casualty[]> {
    const [log, names] = await Promise.all([
      listCareLog(
        db,
        rows.map((r) => r.id),
      ),
      subjectNames(
        db,
        rows.flatMap((r) => (r.subject_id ? [r.subject_id] : [])),
      ),
    ]);
    return rows.map((r) => ({
      id: r.id,
      operationId: r.operation_id,
      memberId: r.member_id,
      subjectId: r.subject_id,
      subjectName: r.subject_id ? (names.get(r.subject_id) ?? null) : null,
      triage: r.triage,
      injuries: r.injuries,
      careLog: log
        .filter((e) => e.casualty_id === r.id)
        .map((e) => ({ time: iso(e.time), authorId: e.author_id, author: e.author ?? '', text: e.text })),
      evacuatedAt: r.evacuated_at ? iso(r.evacuated_at) : null,
      recoveredAt: r.recovered_at ? iso(r.recovered_at) : null,
      createdAt: iso(r.created_at),
    }));
  }
}

function toCalloutResponse(r: CalloutResponseRow): CalloutResponse {
  return { memberId: r.member_id, status: r.status, etaMinutes: r.eta_minutes, time: iso(r.time) };
}
