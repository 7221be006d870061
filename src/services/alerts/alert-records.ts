import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Alert, AlertType } from '../../contract/alerts.ts';
import type { LatLon, Mode } from '../../contract/common.ts';
import { notFound } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { sortAlerts } from '../../domain/alerts.ts';
import { type AlertView, acksOf, getAlert, insertAlert } from '../../store/alerts.repo.ts';
import type { DB } from '../../store/schema.ts';
import { logEvent } from '../core/event-log.ts';
import { alertCore, toAlert } from './alert-mappers.ts';

/** What raises an alert: the alerts service, the condition monitor, a contact report, another service. */
export interface NewAlert {
  type: AlertType;
  mode: Mode;
  operationId: string | null;
  /** The member who raised it; null when Howl did. */
  senderId: string | null;
  subjectId?: string | null;
  position?: LatLon | null;
  count?: number | null;
  direction?: string | null;
  text?: string;
}

/** Stores a new active alert and logs its `alert.updated` (raised) event, inside the caller's transaction. */
export async function insertAlertLogged(
  trx: Kysely<DB>,
  teamId: string,
  now: Date,
  input: NewAlert,
): Promise<{ alert: Alert; event: LiveEvent }> {
  const id = randomUUID();
  await insertAlert(trx, {
    id,
    team_id: teamId,
    operation_id: input.operationId,
    type: input.type,
    mode: input.mode,
    state: 'active',
    sender_id: input.senderId,
    subject_id: input.subjectId ?? null,
    time: now,
    lat: input.position?.lat ?? null,
    lon: input.position?.lon ?? null,
    count: input.count ?? null,
    direction: input.direction ?? null,
    text: input.text ?? '',
    last_sent_at: now,
  });
  const alert = await loadAlert(trx, id);
  const body = { type: 'alert.updated' as const, change: 'raised' as const, by: input.senderId, alert };
  return { alert, event: await logEvent(trx, teamId, body, input.senderId, now, input.mode) };
}

/** One alert with who acknowledged it. */
export async function loadAlert(db: Kysely<DB>, id: string): Promise<Alert> {
  const view = await getAlert(db, id);
  if (!view) throw notFound('alert');
  return toAlert(view, await acksOf(db, [id]));
}

/** Stored alerts with their acknowledgements, in the order given. */
export async function withAcks(db: Kysely<DB>, views: readonly AlertView[]): Promise<Alert[]> {
  const acks = await acksOf(
    db,
    views.map((v) => v.id),
  );
  return views.map((v) => toAlert(v, acks));
}

/** Active first, then newest first (the domain's order). */
export function sortedAlerts(alerts: readonly Alert[]): Alert[] {
  return sortAlerts(alerts.map((alert) => ({ ...alertCore(alert), alert }))).map((x) => x.alert);
}
