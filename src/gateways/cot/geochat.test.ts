import { describe, expect, it } from 'vitest';
import { ATAK_GEOCHAT } from '../../../test/fixtures/cot/captures.ts';
import {
  ATAK_GEOCHAT_ALL,
  atakGeoChat,
  directGeoChat,
  WINTAK_READ_RECEIPT,
  xmlText,
} from '../../../test/fixtures/cot/geochat.ts';
import type { Message } from '../../contract/messages.ts';
import { ALL_CHAT_ROOMS, buildGeoChat, type GeoChat, geoChatAudience, HOWL_CHAT_UID } from './geochat.ts';
import { parseCotEvent } from './parse.ts';

const chat = (xml: string): GeoChat => {
  const m = parseCotEvent(xml);
  if (m.kind !== 'chat') throw new Error(`not a chat: ${JSON.stringify(m)}`);
  return m;
};

const message = (over: Partial<Message> = {}): Message => ({
  id: '0b7e8a52-2f7e-4d8e-9a51-6f1e2c3d4b5a',
  teamId: 'c1d2e3f4-0000-4000-8000-000000000001',
  senderId: '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  senderCallsign: 'VIPER',
  text: 'runner seen at the barn',
  mode: 'real',
  operationId: null,
  time: '2026-11-25T16:00:00.000Z',
  source: 'console',
  position: null,
  ...over,
});

describe('GeoChat in', () => {
  it('reads an ATAK message to All Chat Rooms: sender, callsign, room, message id, text and fix', () => {
    expect(chat(ATAK_GEOCHAT_ALL)).toMatchObject({
      kind: 'chat',
      uid: 'GeoChat.ANDROID-f33ec5af20765447.All Chat Rooms.f98d00f3-ac68-4c9c-9c4e-427e91ae800e',
      senderUid: 'ANDROID-f33ec5af20765447',
      senderCallsign: 'TRACKER01',
      roomId: ALL_CHAT_ROOMS,
      chatroom: ALL_CHAT_ROOMS,
      parent: 'RootContactGroup',
      messageId: 'f98d00f3-ac68-4c9c-9c4e-427e91ae800e',
      to: ALL_CHAT_ROOMS,
      point: { lat: 35.047, lon: -71.176, haeM: 199.568, ceM: 9.9 },
      text: 'at LCC',
    });
    expect(geoChatAudience(chat(ATAK_GEOCHAT_ALL))).toBe('team');
  });

  it('reads the 2015 ATAK capture (no messageId, no fix) as a team message', () => {
    const c = chat(ATAK_GEOCHAT);
    expect(c).toMatchObject({ senderUid: 'ANDROID-88:32:9B:40:EC:D0', text: 'Roger' });
    expect(c.point).toBeUndefined();
    expect(c.messageId).toBeUndefined();
    expect(geoChatAudience(c)).toBe('team');
  });

  it('tells direct messages and private groups from team rooms', () => {
    const direct = chat(
      directGeoChat({ from: 'ANDROID-a', fromCallsign: 'A', to: 'ANDROID-b', toCallsign: 'Bravo Operator' }),
    );
    expect(direct).toMatchObject({ roomId: 'ANDROID-b', to: 'ANDROID-b', chatroom: 'Bravo Operator' });
    expect(geoChatAudience(direct)).toBe('private');
    const cyan = ATAK_GEOCHAT_ALL.replaceAll('All Chat Rooms', 'Cyan').replace(
      'RootContactGroup',
      'TeamGroups',
    );
    expect(geoChatAudience(chat(cyan))).toBe('team');
    const own = ATAK_GEOCHAT_ALL.replaceAll('All Chat Rooms', 'Search party').replace(
      'RootContactGroup',
      'UserGroups',
    );
    expect(geoChatAudience(chat(own))).toBe('private');
  });

  it('reads the opex of the event', () => {
    expect(chat(atakGeoChat({ uid: 'ANDROID-x', messageId: 'm1', opex: 'e' })).opex).toBe('exercise');
    expect(chat(atakGeoChat({ uid: 'ANDROID-x', messageId: 'm1', opex: 'o' })).opex).toBe('real');
  });

  it('decodes the predefined entities and character references, and expands nothing else', () => {
    const c = chat(
      atakGeoChat({
        uid: 'ANDROID-x',
        messageId: 'm1',
        xmlText: `${xmlText('<b> & "q"')} &#x1F43A; &custom;`,
      }),
    );
    expect(c.text).toBe('<b> & "q" 🐺 &custom;');
    expect(
      parseCotEvent(ATAK_GEOCHAT_ALL.replace('<event', '<!DOCTYPE e [<!ENTITY x "y">]><event')),
    ).toMatchObject({ kind: 'invalid' });
  });

  it('refuses a chat without text or without <__chat>, and ignores read receipts', () => {
    expect(parseCotEvent(atakGeoChat({ uid: 'ANDROID-x', messageId: 'm1', xmlText: null }))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('remarks'),
      type: 'b-t-f',
    });
    expect(parseCotEvent(atakGeoChat({ uid: 'ANDROID-x', messageId: 'm1', xmlText: '   ' }))).toMatchObject({
      kind: 'invalid',
    });
    const noChat = ATAK_GEOCHAT_ALL.replace(/<__chat[\s\S]*<\/__chat>/, '');
    expect(parseCotEvent(noChat)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('__chat'),
    });
    expect(parseCotEvent(WINTAK_READ_RECEIPT)).toMatchObject({ kind: 'ignored', type: 'b-t-f-r' });
  });
});

describe('GeoChat out', () => {
  it('writes a real team message as ATAK does: All Chat Rooms, sender uid and callsign, opex o', () => {
    const m = message({ position: { lat: 46.55, lon: 7.98 } });
    const xml = buildGeoChat(m);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event ')).toBe(true);
    const c = chat(xml);
    const from = `howl-${m.senderId}`;
    expect(c).toMatchObject({
      uid: `GeoChat.${from}.All Chat Rooms.${m.id}`,
      type: 'b-t-f',
      how: 'h-g-i-g-o',
      opex: 'real',
      senderUid: from,
      senderCallsign: 'VIPER',
      roomId: ALL_CHAT_ROOMS,
      chatroom: ALL_CHAT_ROOMS,
      parent: 'RootContactGroup',
      messageId: m.id,
      to: ALL_CHAT_ROOMS,
      point: { lat: 46.55, lon: 7.98 },
      text: 'runner seen at the barn',
    });
    expect(c.time.toISOString()).toBe(m.time);
    expect(xml).toContain(`<chatgrp uid0="${from}" uid1="All Chat Rooms" id="All Chat Rooms"`);
    expect(xml).toContain(`<link uid="${from}" type="a-f-G-U-C" relation="p-p"`);
    expect(xml).toContain(`source="BAO.F.ATAK.${from}"`);
    expect(xml).toContain('groupOwner="false"');
  });

  it('says EXERCISE first and opex e in exercise mode; a real message never does', () => {
    const ex = chat(buildGeoChat(message({ mode: 'exercise' })));
    expect(ex.opex).toBe('exercise');
    expect(ex.text).toBe('EXERCISE EXERCISE EXERCISE — runner seen at the barn');
    const real = chat(buildGeoChat(message()));
    expect(real.text).not.toContain('EXERCISE');
  });

  it('escapes the text and callsign, and sends Howl messages from its own uid with no fix', () => {
    const xml = buildGeoChat(
      message({ senderId: null, senderCallsign: 'HOWL', text: '</remarks><x a="1"> & more' }),
    );
    expect(xml).not.toContain('</remarks><x');
    const c = chat(xml);
    expect(c).toMatchObject({ senderUid: HOWL_CHAT_UID, text: '</remarks><x a="1"> & more' });
    expect(c.point).toBeUndefined();
  });
});
