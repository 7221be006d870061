import type { Message } from '../../contract/messages.ts';
import { EXERCISE_PREFIX } from '../../domain/mode.ts';
import { event, memberUid } from './build.ts';
import type { CotMessage } from './parse.ts';

/**
 * GeoChat, TAK's text chat (`b-t-f`), as ATAK writes it (GeoChatService; captures in
 * test/fixtures/cot/captures.ts). Howl's team messages are the room every TAK client has, "All Chat Rooms".
 */
export const ALL_CHAT_ROOMS = 'All Chat Rooms';
/** The uid Howl's own (system) messages come from. */
export const HOWL_CHAT_UID = 'howl-server';
/** ATAK keeps a chat event live for a day. */
const CHAT_STALE_S = 24 * 3600;

export type GeoChat = Extract<CotMessage, { kind: 'chat' }>;

/**
 * Who a GeoChat is for. "All Chat Rooms" and the team-colour rooms (`TeamGroups`) are the team's: they
 * become team messages. A direct message (its room is the recipient's uid) or a user-made group is
 * private between those TAK users, and Howl, which has no private messages, leaves it alone.
 */
export function geoChatAudience(chat: GeoChat): 'team' | 'private' {
  const room = chat.roomId ?? chat.chatroom ?? chat.to;
  if (room === undefined || room === ALL_CHAT_ROOMS) return 'team';
  return chat.parent === 'TeamGroups' ? 'team' : 'private';
}

/** The text a TAK user reads: exercise traffic always says EXERCISE first. */
export function geoChatText(message: Pick<Message, 'mode' | 'text'>): string {
  return message.mode === 'exercise' ? `${EXERCISE_PREFIX} — ${message.text}` : message.text;
}

/**
 * A team message as a GeoChat to "All Chat Rooms", from the sender's Howl uid (the one their map marker
 * has) and callsign, `opex` `e` or `o` by the message's mode.
 */
export function buildGeoChat(message: Message): string {
  const from = message.senderId ? memberUid(message.senderId) : HOWL_CHAT_UID;
  const time = new Date(message.time);
  return event({
    uid: `GeoChat.${from}.${ALL_CHAT_ROOMS}.${message.id}`,
    type: 'b-t-f',
    how: 'h-g-i-g-o',
    time,
    stale: new Date(time.getTime() + CHAT_STALE_S * 1000),
    mode: message.mode,
    point: message.position ?? { lat: 0, lon: 0 },
    detail: {
      __chat: {
        '@parent': 'RootContactGroup',
        '@groupOwner': 'false',
        '@messageId': message.id,
        '@chatroom': ALL_CHAT_ROOMS,
        '@id': ALL_CHAT_ROOMS,
        '@senderCallsign': message.senderCallsign,
        chatgrp: { '@uid0': from, '@uid1': ALL_CHAT_ROOMS, '@id': ALL_CHAT_ROOMS },
      },
      link: { '@uid': from, '@type': 'a-f-G-U-C', '@relation': 'p-p' },
      remarks: {
        '@source': `BAO.F.ATAK.${from}`,
        '@to': ALL_CHAT_ROOMS,
        '@time': time.toISOString(),
        '#text': geoChatText(message),
      },
    },
  });
}
