import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { AlertsTable, DB } from './schema.ts';

export type AlertRow = Selectable<AlertsTable>;
export type NewAlert = Insertable<AlertsTable>;

/** An alert with the callsigns of its sender and subject (removed members keep theirs). */
export type AlertView = AlertRow & { sender_callsign: string | null; subject_callsign: string | null };

export interface AckRow {
  alert_id: string;
  member_id: string;
  callsign: string;
  time: Date;
}

function alertViews(db: Kysely<DB>) {
  return db
    .selectFrom('alerts')
    .leftJoin('members as s', 's.id', 'alerts.sender_id')
    .leftJoin('members as j', 'j.id', 'alerts.subject_id')
    .selectAll('alerts')
    .select(['s.callsign as sender_callsign', 'j.callsign as subject_callsign']);
}

export async function insertAlert(db: Kysely<DB>, alert: NewAlert): Promise<void> {
  await db.insertInto('alerts').values(alert).execute();
}

/** One alert; `lock` holds its row until the transaction ends (an ack and a cancel at once). */
export async function getAlert(
  db: Kysely<DB>,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<AlertView | undefined> {
  const q = alertViews(db).where('alerts.id', '=', id);
  return (opts.lock ? q.forUpdate('alerts') : q).executeTakeFirst();
}

/** The team's alerts, active first, then newest first. */
export async function listAlerts(db: Kysely<DB>, teamId: string, limit = 500): Promise<AlertView[]> {
  return alertViews(db)
    .where('alerts.team_id', '=', teamId)
    .orderBy(sql`alerts.state = 'active'`, 'desc')
    .orderBy('alerts.time', 'desc')
    .limit(limit)
    .execute();
}

export async function activeAlertsOf(db: Kysely<DB>, teamId: string): Promise<AlertView[]> {
  return alertViews(db)
    .where('alerts.team_id', '=', teamId)
    .where('alerts.state', '=', 'active')
    .orderBy('alerts.time', 'desc')
    .execute();
}

/** The member's active alert of a type, if any (an SOS pressed twice is one SOS). */
export async function findActiveFrom(
  db: Kysely<DB>,
  teamId: string,
  senderId: string,
  type: string,
): Promise<AlertView | undefined> {
  return alertViews(db)
    .where('alerts.team_id', '=', teamId)
    .where('alerts.sender_id', '=', senderId)
    .where('alerts.type', '=', type)
    .where('alerts.state', '=', 'active')
    .orderBy('alerts.time', 'desc')
    .executeTakeFirst();
}

/**
 * The operation's alerts of the given types that are active or were cancelled: what the
 * condition monitor keeps (a cancelled one is not raised again in that operation).
 */
export async function conditionAlertsOf(
  db: Kysely<DB>,
  teamId: string,
  operationId: string,
  types: readonly string[],
): Promise<Array<Pick<AlertRow, 'id' | 'type' | 'subject_id' | 'state'>>> {
  return db
    .selectFrom('alerts')
    .select(['id', 'type', 'subject_id', 'state'])
    .where('team_id', '=', teamId)
    .where('operation_id', '=', operationId)
    .where('state', 'in', ['active', 'cancelled'])
    .where('type', 'in', [...types])
    .execute();
}

/** Active alerts of the given types whose operation is no longer active, across teams. */
export async function orphanedConditionAlerts(
  db: Kysely<DB>,
  types: readonly string[],
): Promise<Array<Pick<AlertRow, 'id' | 'team_id'>>> {
  return db
    .selectFrom('alerts')
    .innerJoin('operations', 'operations.id', 'alerts.operation_id')
    .select(['alerts.id', 'alerts.team_id'])
    .where('alerts.state', '=', 'active')
    .where('alerts.type', 'in', [...types])
    .where('operations.state', 'not in', ['running', 'paused', 'open'])
    .execute();
}

/** Active real alerts across teams with each team's re-send interval, for the re-send clock. */
export async function activeRealAlerts(
  db: Kysely<DB>,
): Promise<Array<AlertView & { alert_resend_s: number }>> {
  return alertViews(db)
    .innerJoin('teams', 'teams.id', 'alerts.team_id')
    .select('teams.alert_resend_s')
    .where('alerts.state', '=', 'active')
    .where('alerts.mode', '=', 'real')
    .execute();
}

/**
 * Moves an active alert's last send to `at` when it was last sent at or before `dueBefore`;
 * false when another node or tick did it first, or the alert is no longer active.
 */
export async function claimResend(db: Kysely<DB>, id: string, dueBefore: Date, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({ last_sent_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .where('last_sent_at', '<=', dueBefore)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Ends an active alert; false when it was not active any more. */
export async function endAlert(
  db: Kysely<DB>,
  id: string,
  end:
    | { state: 'resolved' }
    | { state: 'cancelled'; cancelled_by: string | null; cancelled_at: Date; cancel_reason: string },
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set(end)
    .where('id', '=', id)
    .where('state', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Records a member's acknowledgement; false when they had acknowledged already. */
export async function insertAck(
  db: Kysely<DB>,
  alertId: string,
  memberId: string,
  at: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('alert_acks')
    .values({ alert_id: alertId, member_id: memberId, time: at })
    .onConflict((oc) => oc.columns(['alert_id', 'member_id']).doNothing())
    .returning('member_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Acknowledgements of the given alerts, oldest first, with callsigns. */
export async function acksOf(db: Kysely<DB>, alertIds: readonly string[]): Promise<AckRow[]> {
  if (alertIds.length === 0) return [];
  const rows = await db
    .selectFrom('alert_acks')
    .innerJoin('members', 'members.id', 'alert_acks.member_id')
    .select(['alert_acks.alert_id', 'alert_acks.member_id', 'members.callsign', 'alert_acks.time'])
    .where('alert_acks.alert_id', 'in', [...alertIds])
    .orderBy('alert_acks.time')
    .orderBy('members.callsign')
    .execute();
  return rows.map((r) => ({ ...r, time: new Date(r.time) }));
}

/** Locks the team's row for the rest of the transaction, so two nodes do not raise the same alert. */
export async function lockTeam(db: Kysely<DB>, teamId: string): Promise<void> {
  await db.selectFrom('teams').select('id').where('id', '=', teamId).forUpdate().execute();
}

export async function countAlerts(db: Kysely<DB>, teamId?: string): Promise<number> {
  let q = db.selectFrom('alerts').select(sql<number>`count(*)::int`.as('n'));
  if (teamId) q = q.where('team_id', '=', teamId);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}
