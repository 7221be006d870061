import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Alert } from '../../contract/alerts.ts';
import type { LatLon } from '../../contract/common.ts';
import { badRequest, notFound } from '../../contract/errors.ts';
import type { Contact, UpdateContactBody } from '../../contract/incidents.ts';
import { teamMode } from '../../domain/mode.ts';
import { getAlert } from '../../store/alerts.repo.ts';
import {
  getContactForUpdate,
  insertContact,
  listContacts,
  updateContact,
} from '../../store/contacts.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireMember, requireSelf } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';
import { toContact } from './alert-mappers.ts';
import { insertAlertLogged } from './alert-records.ts';

const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

/** Hostile contacts: each report raises a contact alert and places a marker that later reports update. */
export class ContactsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Hostiles seen: a contact alert and a marker. During a running exercise it is exercise traffic. */
  async report(
    auth: Auth,
    teamId: string,
    body: { count: number; position?: LatLon; direction?: string; text?: string },
  ): Promise<Alert> {
    requireMember(auth, teamId);
    const self = requireSelf(auth);
    const now = this.now();
    const { alert, events } = await this.db.transaction().execute(async (trx) => {
      const op = await this.active.get(teamId, trx);
      const mode = teamMode(op);
      const raised = await insertAlertLogged(trx, teamId, now, {
        type: 'contact',
        mode,
        operationId: op?.id ?? null,
        senderId: self.memberId,
        position: body.position,
        count: body.count,
        direction: body.direction,
        text: body.text,
      });
      const contact = await insertContact(trx, {
        id: randomUUID(),
        team_id: teamId,
        operation_id: op?.id ?? null,
        alert_id: raised.alert.id,
        count: body.count,
        withdrawn: 0,
        lat: body.position?.lat ?? null,
        lon: body.position?.lon ?? null,
        direction: body.direction ?? null,
        text: body.text ?? '',
        reported_by: self.memberId,
        time: now,
        updated_at: now,
      });
      const marker = await logEvent(
        trx,
        teamId,
        { type: 'contact.updated', contact: toContact(contact) },
        self.memberId,
        now,
        mode,
      );
      return { alert: raised.alert, events: [raised.event, marker] };
    });
    publishEvents(this.bus, teamId, events);
    return alert;
  }

  /** The team's hostile contacts, newest first. */
  async list(auth: Auth, teamId: string): Promise<Contact[]> {
    requireMember(auth, teamId);
    return (await listContacts(this.db, teamId)).map(toContact);
  }

  /** A contact as new reports come in: "three of six withdrawing". */
  async update(
    auth: Auth,
    teamId: string,
    contactId: string,
    body: z.infer<typeof UpdateContactBody>,
  ): Promise<Contact> {
    requireMember(auth, teamId);
    const actor = actorOf(auth);
    const now = this.now();
    const { contact, event } = await this.db.transaction().execute(async (trx) => {
      const c = await getContactForUpdate(trx, contactId);
      if (!c || c.team_id !== teamId) throw notFound('contact');
      if (Object.values(body).every((v) => v === undefined))
        return { contact: toContact(c), event: undefined };
      const count = body.count ?? c.count;
      const withdrawn = body.withdrawn ?? c.withdrawn;
      if (withdrawn > count) throw badRequest('withdrawn', `${withdrawn} withdrawn of ${count} seen`);
      const row = await updateContact(trx, contactId, {
        count,
        withdrawn,
        ...(body.position && { lat: body.position.lat, lon: body.position.lon }),
        ...(body.text !== undefined && { text: body.text }),
        updated_at: now,
      });
      // A marker keeps the mode of the report that placed it.
      const mode = c.alert_id ? (await getAlert(trx, c.alert_id))?.mode : undefined;
      const contact = toContact(row);
      const event = await logEvent(trx, teamId, { type: 'contact.updated', contact }, actor, now, mode);
      return { contact, event };
    });
    if (event) publishEvents(this.bus, teamId, [event]);
    return contact;
  }
}
