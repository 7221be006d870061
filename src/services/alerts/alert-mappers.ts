import type { Alert, AlertType } from '../../contract/alerts.ts';
import type { Contact } from '../../contract/incidents.ts';
import type { AlertCore } from '../../domain/alerts.ts';
import type { AckRow, AlertView } from '../../store/alerts.repo.ts';
import type { ContactRow } from '../../store/contacts.repo.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toAlert(a: AlertView, acks: readonly AckRow[]): Alert {
  return {
    id: a.id,
    type: a.type as AlertType,
    mode: a.mode,
    state: a.state,
    operationId: a.operation_id,
    senderId: a.sender_id,
    sender: a.sender_id ? (a.sender_callsign ?? '?') : 'HOWL',
    subjectId: a.subject_id,
    subject: a.subject_id ? (a.subject_callsign ?? '?') : null,
    time: iso(a.time) ?? '',
    position: a.lat !== null && a.lon !== null ? { lat: a.lat, lon: a.lon } : null,
    count: a.count,
    direction: a.direction,
    text: a.text,
    acknowledgements: acks
      .filter((k) => k.alert_id === a.id)
      .map((k) => ({ memberId: k.member_id, callsign: k.callsign, time: k.time.toISOString() })),
    cancelledBy: a.cancelled_by,
    cancelledAt: iso(a.cancelled_at),
    cancelReason: a.cancel_reason,
  };
}

export function toContact(c: ContactRow): Contact {
  return {
    id: c.id,
    operationId: c.operation_id,
    count: c.count,
    withdrawn: c.withdrawn,
    position: c.lat !== null && c.lon !== null ? { lat: c.lat, lon: c.lon } : null,
    direction: c.direction,
    text: c.text,
    reportedBy: c.reported_by,
    time: iso(c.time) ?? '',
    updatedAt: iso(c.updated_at) ?? '',
  };
}

/** The fields the alert rules look at. */
export const alertCore = (a: Alert): AlertCore => ({
  type: a.type,
  mode: a.mode,
  state: a.state,
  timeMs: Date.parse(a.time),
  ackedBy: a.acknowledgements.map((k) => k.memberId),
});
