import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LatLon, Mode } from '../../contract/common.ts';
import { badRequest, HowlError } from '../../contract/errors.ts';
import {
  type Message,
  type MessageList,
  type MessageQuery,
  type MessageSource,
  MessageText,
} from '../../contract/messages.ts';
import { teamMode } from '../../domain/mode.ts';
import { getMember } from '../../store/members.repo.ts';
import { insertMessage, listMessages, type MessageRow } from '../../store/messages.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, type MemberAuth, requireMember, requireSelf } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';

/** A message as a gateway hands it over for a member's device. */
export interface DeviceMessage {
  text: string;
  source: Extract<MessageSource, 'tak' | 'meshtastic' | 'inreach'>;
  position?: LatLon;
  /** The mode the client stated (CoT `opex`); absent: the team's mode. */
  declaredMode?: Mode;
  /** The client's own id of the message: a repeat of it is stored once. */
  externalId?: string;
}

export function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    teamId: r.team_id,
    senderId: r.sender_id,
    senderCallsign: r.sender_callsign,
    text: r.text,
    mode: r.mode,
    operationId: r.operation_id,
    time: new Date(r.time).toISOString(),
    source: r.source,
    position: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
  };
}

/**
 * Team messages: any member writes to the whole team, from the console, the field page or a TAK client.
 * Each message carries the team's mode when it was sent, is logged as an event (so it replays and resumes)
 * and goes out live as `message.posted`.
 */
export class MessagesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A page of the team's messages, newest first. */
  async list(auth: Auth, teamId: string, q: Omit<MessageQuery, 'teamId'>): Promise<MessageList> {
    requireMember(auth, teamId);
    if (q.beforeId && !q.before) throw badRequest('beforeId', 'needs `before` (the time of that message)');
    const rows = await listMessages(this.db, teamId, {
      before: q.before ? new Date(q.before) : undefined,
      beforeId: q.beforeId,
      limit: q.limit,
    });
    const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
    return {
      messages: rows.map(toMessage),
      next: last ? { before: new Date(last.time).toISOString(), beforeId: last.id } : null,
    };
  }

  /** A message from the caller to the team: from the console with a session, else from the field page. */
  async post(auth: Auth, teamId: string, body: { text: string; position?: LatLon }): Promise<Message> {
    requireMember(auth, teamId);
    const self = requireSelf(auth);
    const source = self.via === 'session' ? 'console' : 'field';
    const message = await this.store(self, teamId, { text: body.text, position: body.position, source });
    if (!message) throw new Error('a message without an external id cannot be a repeat');
    return message;
  }

  /** A message from a member's device through a gateway; undefined when it is a repeat already stored. */
  async postFromDevice(auth: MemberAuth, teamId: string, m: DeviceMessage): Promise<Message | undefined> {
    requireMember(auth, teamId);
    return this.store(auth, teamId, m);
  }

  private async store(
    self: MemberAuth,
    teamId: string,
    m: { text: string; source: MessageSource; position?: LatLon; declaredMode?: Mode; externalId?: string },
  ): Promise<Message | undefined> {
    const text = MessageText.safeParse(m.text);
    if (!text.success) throw badRequest('text', text.error.issues[0]?.message ?? 'invalid');
    const now = this.now();
    const result = await this.db.transaction().execute(async (trx) => {
      const member = await getMember(trx, self.memberId);
      if (!member || member.team_id !== teamId || member.removed_at !== null)
        throw new HowlError(403, 'forbidden', 'not a member of this team');
      const op = await this.active.get(teamId, trx);
      const mode = modeOf(teamMode(op), m.declaredMode);
      const row = await insertMessage(trx, {
        id: randomUUID(),
        team_id: teamId,
        sender_id: member.id,
        sender_callsign: member.callsign,
        text: text.data,
        mode,
        operation_id: op?.id ?? null,
        time: now,
        source: m.source,
        lat: m.position?.lat ?? null,
        lon: m.position?.lon ?? null,
        external_id: m.externalId ?? null,
      });
      if (!row) return undefined;
      const message = toMessage(row);
      const event = await logEvent(trx, teamId, { type: 'message.posted', message }, member.id, now, mode);
      return { message, event };
    });
    if (!result) return undefined;
    publishEvents(this.bus, teamId, [result.event]);
    return result.message;
  }
}

/**
 * A message's mode: what the client stated, except that nothing outside a running exercise is exercise
 * traffic. A message stated real during an exercise stays real (and is shown so).
 */
export function modeOf(team: Mode, declared: Mode | undefined): Mode {
  return declared === 'real' ? 'real' : team;
}
