import { beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import {
  ANDROID_CARD,
  ANDROID_WAYPOINT,
  BOOKLET_HTTP_LOCATION,
  freshLocation,
} from './fixtures/owntracks/captures.ts';
import { bearer, reportFromField, startExercise } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Out = { _type: string; [k: string]: unknown };

describe.each(engines)('OwnTracks HTTP mode on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let api: string;
  let n = 0;

  beforeAll(async () => {
    api = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });

  /** A team of its own: a leader reporting from the field page and an OwnTracks user `user<n>/phone`. */
  const team = async () => {
    const name = `HTTP ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const user = `user${n}`;
    const ot = await h.addMember(name, `OTTO${n}`, { device: `${user}-phone` });
    return { name, lead, ot, user };
  };
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${api}/api/owntracks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
    });
  /** What the Android app sends: Basic auth, X-Limit-U and X-Limit-D. */
  const asApp = (m: AddedMember, user: string, device = 'phone') => ({
    authorization: basic(user, m.token),
    'x-limit-u': user,
    'x-limit-d': device,
  });
  const rowsOf = (memberId: string) =>
    d.db.selectFrom('positions').selectAll().where('member_id', '=', memberId).orderBy('id').execute();

  it('stores a location under USER-DEVICE and answers the teammates’ cards and locations', async () => {
    const { lead, ot, user } = await team();
    await reportFromField(h, lead, 46.5, 7.5);
    const res = await post(freshLocation({ vel: 36, cog: 180 }), asApp(ot, user));
    expect(res.status).toBe(200);
    const out = (await res.json()) as Out[];
    const rows = await rowsOf(ot.memberId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      device_id: `${user}-phone`,
      source: 'owntracks',
      mode: 'real',
      bearing: 180,
    });
    expect(rows[0]?.speed).toBeCloseTo(10, 9);
    expect(out).toEqual([
      { _type: 'card', tid: 'LE', name: `LEAD${n}`, topic: `owntracks/howl/LEAD${n}` },
      expect.objectContaining({
        _type: 'location',
        tid: 'LE',
        lat: 46.5,
        lon: 7.5,
        topic: `owntracks/howl/LEAD${n}`,
      }),
    ]);
  });

  it('answers from the team as it is now: a new position, a new callsign, a new member and a new device', async () => {
    const { name, lead, ot, user } = await team();
    await reportFromField(h, lead, 46.5, 7.5);
    const first = (await (await post(freshLocation(), asApp(ot, user))).json()) as Out[];
    expect(first.find((m) => m._type === 'location')).toMatchObject({ lat: 46.5 });
    // Between two posts the leader moves and is renamed.
    await reportFromField(h, lead, 46.6, 7.6);
    await h.services.members.update({ kind: 'admin' }, lead.teamId, lead.memberId, { callsign: `BOSS${n}` });
    const second = (await (await post(freshLocation(), asApp(ot, user))).json()) as Out[];
    expect(second.find((m) => m._type === 'card')).toMatchObject({ name: `BOSS${n}` });
    expect(second.find((m) => m._type === 'location')).toMatchObject({ lat: 46.6, lon: 7.6 });
    // A member who joins now posts at once, and is in the others' next answer.
    const newcomer = await h.addMember(name, `NEW${n}`, { device: `new${n}-phone` });
    const joined = await post(freshLocation({ lat: 46.7 }), asApp(newcomer, `new${n}`));
    expect(joined.status, await joined.clone().text()).toBe(200);
    const third = (await (await post(freshLocation(), asApp(ot, user))).json()) as Out[];
    expect(third.filter((m) => m._type === 'card').map((m) => m.name)).toEqual([`BOSS${n}`, `NEW${n}`]);
    // A device registered now signs in at once.
    await h.services.members.update({ kind: 'admin' }, ot.teamId, ot.memberId, {
      devices: [`${user}-phone`, `${user}-tablet`],
    });
    const tablet = await post(freshLocation(), asApp(ot, user, 'tablet'));
    expect(tablet.status, await tablet.clone().text()).toBe(200);
    expect((await rowsOf(ot.memberId)).at(-1)?.device_id).toBe(`${user}-tablet`);
  });

  it('takes the callsign or a device id as the Basic user, and stores in the team’s mode', async () => {
    const { lead, ot, user } = await team();
    await startExercise(h, lead);
    const byCallsign = await post(freshLocation({ lat: 47.1 }), {
      authorization: basic(`otto${n}`, ot.token),
    });
    expect(byCallsign.status).toBe(200);
    const byDevice = await post(
      BOOKLET_HTTP_LOCATION.replace('1700000000', String(Math.floor(Date.now() / 1000))),
      {
        authorization: basic(`${user}-phone`, ot.token),
      },
    );
    expect(byDevice.status).toBe(200);
    const rows = await rowsOf(ot.memberId);
    // No device named: stored as the member's own report; the device id as Basic user: under that device.
    expect(rows.map((r) => [r.device_id, r.source, r.mode])).toEqual([
      ['field', 'owntracks', 'exercise'],
      [`${user}-phone`, 'owntracks', 'exercise'],
    ]);
  });

  it('finds the device from the topic an iOS app puts in its payload', async () => {
    const { ot, user } = await team();
    const body = BOOKLET_HTTP_LOCATION.replace('owntracks/jane/phone', `owntracks/${user}/phone`).replace(
      '1700000000',
      String(Math.floor(Date.now() / 1000)),
    );
    const res = await post(body, { authorization: basic(`OTTO${n}`, ot.token) });
    expect(res.status).toBe(200);
    expect((await rowsOf(ot.memberId)).map((r) => [r.device_id, r.lat, r.battery])).toEqual([
      [`${user}-phone`, 48.856826, 11],
    ]);
  });

  it('refuses wrong or missing credentials with 401 and stores nothing', async () => {
    const { lead, ot, user } = await team();
    const body = freshLocation();
    const cases: Array<[string, Record<string, string>]> = [
      ['no credentials', { 'x-limit-u': user, 'x-limit-d': 'phone' }],
      ['a wrong password', asApp({ ...ot, token: `${ot.token}x` }, user)],
      ['another member’s token', asApp(lead, user)],
      ['a user the token is not', { authorization: basic(`LEAD${n}`, ot.token) }],
      ['a bearer token instead of Basic', bearer(ot)],
    ];
    for (const [name, headers] of cases) {
      const res = await post(body, headers);
      expect(res.status, name).toBe(401);
      expect(res.headers.get('www-authenticate'), name).toMatch(/^Basic realm="Howl"/);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe('unauthorized');
    }
    expect(await rowsOf(ot.memberId)).toEqual([]);
    expect(await rowsOf(lead.memberId)).toEqual([]);
  });

  it('answers 400 naming the field for a malformed payload, 413 for an oversized one, storing nothing', async () => {
    const { ot, user } = await team();
    const cases: Array<[string, string, number, string]> = [
      ['not JSON', '{"_type":"location",', 400, 'payload'],
      ['no _type', '{"lat":1,"lon":2}', 400, '_type'],
      ['lat out of range', freshLocation({ lat: 123 }), 400, 'lat'],
      ['no tst', '{"_type":"location","lat":1,"lon":2}', 400, 'tst'],
      ['tst an hour ahead', freshLocation({}, -3600), 400, 'tst'],
    ];
    for (const [name, body, status, field] of cases) {
      const res = await post(body, asApp(ot, user));
      expect(res.status, name).toBe(status);
      const err = (await res.json()) as { error: { message: string; details: { field: string } } };
      expect(err.error.details.field, name).toBe(field);
      expect(err.error.message, name).toMatch(new RegExp(`^${field}`));
    }
    const big = await post(freshLocation({ pad: 'x'.repeat(70 * 1024) }), asApp(ot, user));
    expect(big.status).toBe(413);
    expect(await rowsOf(ot.memberId)).toEqual([]);
  });

  it('accepts what it does not use (cards, an empty body) and regions with 200, storing no position', async () => {
    const { lead, ot, user } = await team();
    await reportFromField(h, lead, 40, 8);
    for (const body of [ANDROID_WAYPOINT, ANDROID_CARD, '']) {
      const res = await post(body, asApp(ot, user));
      expect(res.status, body).toBe(200);
      expect(
        ((await res.json()) as Out[]).map((m) => m._type),
        body,
      ).toEqual(['card', 'location']);
    }
    expect(await rowsOf(ot.memberId)).toEqual([]);
  });

  it('tells an app of each alert once as raised and once as ended, worded for its mode', async () => {
    const { lead, ot, user } = await team();
    await reportFromField(h, lead, 45.1, 6.1);
    const transitions = async () =>
      ((await (await post(freshLocation(), asApp(ot, user))).json()) as Out[]).filter(
        (m) => m._type === 'transition',
      );
    expect(await transitions()).toEqual([]);

    await startExercise(h, lead);
    const contact = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/contact',
      headers: bearer(lead),
      payload: { count: 2 },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const [drill] = await transitions();
    expect(drill).toMatchObject({ event: 'enter', tid: 'LE', lat: 45.1, lon: 6.1 });
    expect(drill?.desc).toBe(`EXERCISE EXERCISE EXERCISE — CONTACT: 2 hostiles reported by LEAD${n}`);
    expect(await transitions()).toEqual([]);

    const sos = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/sos',
      headers: bearer(lead),
      payload: {},
    });
    expect(sos.statusCode, sos.body).toBe(201);
    const raised = await transitions();
    const real = raised.find((m) => m.desc === `REAL — NOT A DRILL — SOS from LEAD${n}`);
    expect(real).toMatchObject({ event: 'enter' });

    const id = (sos.json() as { id: string }).id;
    await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/cancel`,
      headers: bearer(lead),
      payload: {},
    });
    const ended = await transitions();
    expect(ended.find((m) => String(m.desc).includes('CANCELLED: SOS'))).toMatchObject({
      event: 'leave',
      wtst: real?.wtst,
    });
  });

  it('does not send a member their own alert back', async () => {
    const { ot, user } = await team();
    const sos = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/sos',
      headers: bearer(ot),
      payload: {},
    });
    expect(sos.statusCode, sos.body).toBe(201);
    const out = (await (await post(freshLocation(), asApp(ot, user))).json()) as Out[];
    expect(out.filter((m) => m._type === 'transition' && String(m.desc).includes('SOS from'))).toEqual([]);
  });
});
