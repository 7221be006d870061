import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { Message } from '../src/contract/messages.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { atakGeoChat, directGeoChat, xmlText } from './fixtures/cot/geochat.ts';
import type { Received, TakClient } from './fixtures/cot/tak-client.ts';
import { useCotServer } from './support/cot.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

const ADMIN = { kind: 'admin' } as const;

describe.each(engines)('GeoChat through the CoT gateway over TCP on $name', (engine) => {
  const { h } = useHarness(engine);
  let n = 0;
  const { logger, logs } = recordingLogger();

  const cot = useCotServer(h, { logger });

  const newTeam = () => `Chat team ${engine.name} ${++n}`;
  const takMember = (team: string, callsign = `CS${++n}`) =>
    h.addMember(team, callsign, { device: `ANDROID-${engine.name}-${++n}` });
  /** A TAK client bound to the member by one SA event. */
  const bound = async (m: AddedMember) => {
    const c = await cot.connect();
    c.send(retime(withUid(ATAK_SA_GEMINI, m.device)));
    await c.sync();
    return c;
  };
  const messagesOf = async (teamId: string): Promise<Message[]> =>
    (await h.services.messages.list(ADMIN, teamId, { limit: 200 })).messages;
  const chatsIn = (c: TakClient): Received[] => c.of('b-t-f');
  const postAs = async (m: AddedMember, text: string) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/messages',
      headers: { authorization: `Bearer ${m.token}` },
      payload: { text },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Message;
  };
  const startExercise = async (teamId: string) => {
    const ex = await h.services.operations.createExercise(ADMIN, teamId, {
      name: 'Drill',
      scenario: '',
      participants: [],
      injects: [],
    });
    return h.services.operations.act(ADMIN, teamId, ex.id, 'start');
  };

  it('turns a GeoChat from a bound ATAK client into a team message from that member, in real mode', async () => {
    const team = newTeam();
    const viper = await takMember(team, 'VIPER');
    const c = await bound(viper);
    const messageId = randomUUID();
    c.send(
      atakGeoChat({
        uid: viper.device,
        messageId,
        callsign: 'VIPER',
        xmlText: xmlText('Runner <north> of the barn & moving'),
        point: { lat: 46.5512, lon: 7.9801 },
      }),
    );
    await c.sync();
    const [m, ...rest] = await messagesOf(viper.teamId);
    expect(rest).toHaveLength(0);
    expect(m).toMatchObject({
      senderId: viper.memberId,
      senderCallsign: 'VIPER',
      text: 'Runner <north> of the barn & moving',
      mode: 'real',
      operationId: null,
      source: 'tak',
      position: { lat: 46.5512, lon: 7.9801 },
    });
    // ATAK sending the same message again (same messageId) stores nothing new.
    c.send(atakGeoChat({ uid: viper.device, messageId, callsign: 'VIPER', xmlText: 'Runner' }));
    await c.sync();
    expect(await messagesOf(viper.teamId)).toHaveLength(1);
    // The sender's own message is not echoed back to it.
    expect(chatsIn(c)).toHaveLength(0);
  });

  it('stamps exercise mode during an exercise; opex e outside one is real; opex o stays real in a drill', async () => {
    const team = newTeam();
    const m = await takMember(team);
    const c = await bound(m);
    c.send(
      atakGeoChat({ uid: m.device, messageId: randomUUID(), opex: 'e', xmlText: 'said exercise, none runs' }),
    );
    await c.sync();
    expect(logs.some((l) => /exercise GeoChat outside an exercise/.test(l.msg))).toBe(true);
    const op = await startExercise(m.teamId);
    c.send(atakGeoChat({ uid: m.device, messageId: randomUUID(), xmlText: 'no opex, in the drill' }));
    c.send(
      atakGeoChat({ uid: m.device, messageId: randomUUID(), opex: 'e', xmlText: 'opex e, in the drill' }),
    );
    c.send(
      atakGeoChat({ uid: m.device, messageId: randomUUID(), opex: 'o', xmlText: 'real: twisted ankle' }),
    );
    await c.sync();
    const byText = Object.fromEntries((await messagesOf(m.teamId)).map((x) => [x.text, x]));
    expect(byText['said exercise, none runs']).toMatchObject({ mode: 'real', operationId: null });
    expect(byText['no opex, in the drill']).toMatchObject({ mode: 'exercise', operationId: op.id });
    expect(byText['opex e, in the drill']).toMatchObject({ mode: 'exercise', operationId: op.id });
    expect(byText['real: twisted ankle']).toMatchObject({ mode: 'real', operationId: op.id });
  });

  it('sends a console message to the team TAK clients as GeoChat to All Chat Rooms, EXERCISE first in a drill', async () => {
    const team = newTeam();
    const viper = await takMember(team, 'VIPER');
    const cobra = await takMember(team, 'COBRA');
    const lead = await h.addMember(team, 'LEAD', { role: 'leader' });
    const stranger = await takMember(newTeam(), 'STRANGER');
    const [cv, cc, cs] = [await bound(viper), await bound(cobra), await bound(stranger)];

    const real = await postAs(lead, 'Stand by for STARTEX');
    for (const c of [cv, cc]) {
      const got = await c.waitFor((r) => r.attrs.type === 'b-t-f', { what: 'a GeoChat' });
      expect(got.attrs).toMatchObject({
        uid: `GeoChat.howl-${lead.memberId}.All Chat Rooms.${real.id}`,
        opex: 'o',
      });
      expect(got.parsed).toMatchObject({
        kind: 'chat',
        senderUid: `howl-${lead.memberId}`,
        senderCallsign: 'LEAD',
        roomId: 'All Chat Rooms',
        chatroom: 'All Chat Rooms',
        messageId: real.id,
        to: 'All Chat Rooms',
        text: 'Stand by for STARTEX',
      });
      expect(got.detail.__chat?.chatgrp).toMatchObject({
        uid0: `howl-${lead.memberId}`,
        uid1: 'All Chat Rooms',
      });
    }

    await startExercise(viper.teamId);
    const drill = await postAs(lead, 'Runner released');
    const got = await cv.waitFor((r) => r.attrs.type === 'b-t-f' && r.xml.includes(drill.id), {
      what: 'drill chat',
    });
    expect(got.attrs.opex).toBe('e');
    expect(got.parsed).toMatchObject({
      text: 'EXERCISE EXERCISE EXERCISE — Runner released',
      opex: 'exercise',
    });

    // A TAK member's message reaches the other TAK client (not itself) and the web feed.
    cc.send(
      atakGeoChat({ uid: cobra.device, messageId: randomUUID(), callsign: 'COBRA', xmlText: 'eyes on' }),
    );
    const relayed = await cv.waitFor((r) => r.attrs.type === 'b-t-f' && r.xml.includes('eyes on'), {
      what: 'relayed chat',
    });
    expect(relayed.parsed).toMatchObject({
      senderUid: `howl-${cobra.memberId}`,
      senderCallsign: 'COBRA',
      text: 'EXERCISE EXERCISE EXERCISE — eyes on',
      opex: 'exercise',
    });
    await cc.sync();
    expect(chatsIn(cc).some((r) => r.xml.includes('eyes on'))).toBe(false);
    // Another team's client heard none of it.
    await cs.sync();
    expect(chatsIn(cs)).toHaveLength(0);
  });

  it('drops a malformed chat, a direct message and a chat for another device with a log line, and keeps the connection', async () => {
    const team = newTeam();
    const m = await takMember(team);
    const other = await takMember(team);
    const c = await bound(m);
    logs.length = 0;
    c.send(atakGeoChat({ uid: m.device, messageId: randomUUID(), xmlText: null }));
    c.send(directGeoChat({ from: m.device, fromCallsign: 'A', to: other.device, toCallsign: 'B' }));
    c.send(atakGeoChat({ uid: other.device, messageId: randomUUID(), xmlText: 'spoofed' }));
    c.send(atakGeoChat({ uid: 'ANDROID-nobody-registered', messageId: randomUUID(), xmlText: 'who?' }));
    await c.sync();
    expect(await messagesOf(m.teamId)).toHaveLength(0);
    const said = logs.map((l) => `${l.level} ${l.msg} ${String(l.obj.reason ?? '')}`);
    expect(said).toContainEqual(expect.stringMatching(/^warn cot: event refused chat: <remarks>/));
    expect(said).toContainEqual(expect.stringMatching(/^info cot: GeoChat not relayed: a direct/));
    expect(said).toContainEqual(
      expect.stringMatching(/^warn cot: refused: this connection speaks for another/),
    );
    expect(said).toContainEqual(expect.stringMatching(/^warn cot: GeoChat not relayed: its sender/));
    expect(c.isClosed).toBe(false);
    // Still working: the next good message goes through.
    c.send(atakGeoChat({ uid: m.device, messageId: randomUUID(), xmlText: 'still here' }));
    await c.sync();
    expect((await messagesOf(m.teamId)).map((x) => x.text)).toEqual(['still here']);
  });

  it('holds a GeoChat from an unknown uid on an unbound connection: nothing stored', async () => {
    const team = newTeam();
    const m = await takMember(team);
    const c = await cot.connect();
    const uid = `ANDROID-unknown-${engine.name}-${++n}`;
    c.send(atakGeoChat({ uid, messageId: randomUUID(), xmlText: 'hello?' }));
    await c.sync();
    expect(await messagesOf(m.teamId)).toHaveLength(0);
    expect(cot.server.held().some((e) => e.uid === uid && e.type === 'b-t-f')).toBe(true);
  });
});
