// The cross-team authorization matrix: every /api route that names a thing by id, called by team A's leader
// and member (by token and by console session) with the ids of team B's things, is refused (403 or 404),
// shows nothing of B and changes nothing of B. Then B's own leader makes the same calls, which proves the
// refusals were about the caller, not a malformed request. A new route with an id in its path and no row
// here fails the first test: whoever adds a route says how it is tried.
// (No credentials → 401 and plain member → 403 on every route are in route-auth.test.ts.)
import type { HTTPMethods } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { countPositions } from '../src/store/positions.repo.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';
import { openLive } from './support/ws-client.ts';

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/** Team B's things, by the path parameter that names them. */
interface Things {
  memberId: string;
  deviceId: string;
  operationId: string;
  drillId: string;
  detectionDrillId: string;
  detectionObjectId: string;
  alertId: string;
  contactId: string;
  casualtyId: string;
  skillId: string;
  qualificationId: string;
  sessionId: string;
  actionId: string;
  uid: string;
  nodeId: string;
  injectId: string;
  subjectId: string;
  segmentId: string;
  assignmentId: string;
  webhookId: string;
  /** The exercise the incident suspended (operationId names the incident). */
  exerciseId: string;
}

interface Row {
  /** The request body, built from B's things where it names them. */
  body?: (b: Things) => object;
  /** A raw body with its content type, for routes that take a file. */
  file?: { type: string; data: string };
  /** Run last in the proof, in this order: it removes or ends what other rows use. */
  destructive?: number;
  /** Why B's own leader cannot make this call succeed here (the proof skips it). */
  noProof?: string;
  /** Other things of B to name in the path than the default ones, or path values that are no thing's id. */
  params?: (b: Things) => Partial<Things> & Record<string, string>;
}

const GPX =
  '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>' +
  '<trkpt lat="51.05" lon="-1.31"><time>2026-12-01T10:00:00Z</time></trkpt>' +
  '<trkpt lat="51.051" lon="-1.311"><time>2026-12-01T10:01:00Z</time></trkpt></trkseg></trk></gpx>';

/** A 100 m square search segment near B's positions. */
const SQUARE = {
  type: 'Polygon',
  coordinates: [
    [
      [-1.311, 51.05],
      [-1.3096, 51.05],
      [-1.3096, 51.0509],
      [-1.311, 51.0509],
      [-1.311, 51.05],
    ],
  ],
};

const ROWS: Record<string, Row> = {
  'GET /api/operations/:operationId': {},
  'GET /api/operations/:operationId/replay': {},
  'GET /api/operations/:operationId/report.pdf': {},
  'GET /api/operations/:operationId/export.csv': {},
  'GET /api/operations/:operationId/hotwash': {},
  'PUT /api/operations/:operationId/hotwash': {
    body: () => ({ wentWell: 'kept calm', toImprove: 'radios' }),
  },
  'POST /api/operations/:operationId/corrective-actions': {
    body: (b) => ({ text: 'Charge the radios', ownerId: b.memberId, dueOn: '2027-01-15' }),
  },
  'PATCH /api/corrective-actions/:actionId': { body: () => ({ done: true }) },
  'POST /api/operations/:operationId/actions': { body: () => ({ action: 'pause' }) },
  'PATCH /api/operations/:operationId': { body: () => ({ name: 'Renamed' }) },
  'POST /api/operations/:operationId/injects/:injectId/send': {
    params: (b) => ({ operationId: b.exerciseId }),
  },
  'POST /api/operations/:operationId/close': {
    body: () => ({ summary: 'All safe', override: 'everyone is home' }),
    destructive: 3,
  },
  'GET /api/drills/:drillId': {},
  'PATCH /api/drills/:drillId': { body: () => ({ toleranceM: 40 }) },
  'POST /api/drills/:drillId/find': {
    body: () => ({}),
    noProof: 'a find is made by a tracker of a running drill; this one is planned',
  },
  'GET /api/drills/:drillId/tracks': {},
  'GET /api/drills/:drillId/export.gpx': {},
  'PUT /api/drills/:drillId/tracks/:memberId': { file: { type: 'application/gpx+xml', data: GPX } },
  'DELETE /api/drills/:drillId/tracks/:memberId': {},
  'GET /api/detection-drills/:drillId': { params: (b) => ({ drillId: b.detectionDrillId }) },
  'GET /api/detection-drills/:drillId/sheet': {
    params: (b) => ({ drillId: b.detectionDrillId }),
    noProof: 'the sheet is a searcher’s; B’s leader is not one',
  },
  'POST /api/detection-drills/:drillId/records': {
    params: (b) => ({ drillId: b.detectionDrillId }),
    body: (b) => ({ objectId: b.detectionObjectId, found: true, searcherId: b.memberId }),
    noProof: 'a find is recorded from STARTEX on; this drill is planned',
  },
  'PUT /api/detection-drills/:drillId/objects': {
    params: (b) => ({ drillId: b.detectionDrillId }),
    body: (b) => ({ objects: [{ id: b.detectionObjectId, label: 'glove', lat: 51.05, lon: -1.31 }] }),
  },
  'GET /api/members/:memberId/progress': {},
  'GET /api/members/:memberId/record': {},
  'POST /api/members/:memberId/connection': {},
  'POST /api/members/:memberId/devices/:deviceId/rotate': {},
  'POST /api/members/:memberId/revoke': { destructive: 5 },
  'PATCH /api/members/:memberId': { body: () => ({ name: 'Renamed' }) },
  'DELETE /api/members/:memberId': { destructive: 6 },
  'POST /api/members/:memberId/qualifications': { body: (b) => ({ skillId: b.skillId }) },
  'DELETE /api/qualifications/:qualificationId': { destructive: 1 },
  'POST /api/alerts/:alertId/ack': {},
  'POST /api/alerts/:alertId/cancel': { body: () => ({ reason: 'false alarm' }), destructive: 2 },
  'PATCH /api/contacts/:contactId': { body: () => ({ withdrawn: 1 }) },
  'PATCH /api/casualties/:casualtyId': { body: () => ({ care: 'splinted the ankle' }) },
  'PATCH /api/subjects/:subjectId': { body: () => ({ status: 'located' }) },
  'GET /api/operations/:operationId/search': {},
  'POST /api/operations/:operationId/search/segments': { body: () => ({ name: 'Stolen', polygon: SQUARE }) },
  'PATCH /api/search/segments/:segmentId': { body: () => ({ name: 'Renamed' }) },
  'PUT /api/operations/:operationId/search/poa': {
    body: (b) => ({ method: 'direct', segments: { [b.segmentId]: 0.5 } }),
  },
  'POST /api/operations/:operationId/search/assignments': {
    body: (b) => ({
      segmentId: b.segmentId,
      memberIds: [b.memberId],
      resourceType: 'hasty',
      sweepWidthM: 20,
    }),
  },
  'POST /api/search/assignments/:assignmentId/end': { body: () => ({}) },
  'POST /api/search/segments/:segmentId/sorties/:sortie/end': {
    body: () => ({}),
    params: () => ({ sortie: '1' }),
  },
  'DELETE /api/webhooks/:webhookId': { destructive: 7 },
  'PATCH /api/skills/:skillId': { body: () => ({ required: true }) },
  'DELETE /api/skills/:skillId': { destructive: 4 },
  'PATCH /api/training-sessions/:sessionId': { body: () => ({ notes: 'bring a headtorch' }) },
  'PUT /api/training-sessions/:sessionId/attendance': {
    body: (b) => ({ entries: [{ memberId: b.memberId, status: 'present' }] }),
  },
  'POST /api/tak/pending/:uid/approve': {
    body: (b) => ({ memberId: b.memberId }),
    noProof: 'a waiting TAK client exists only while it is connected (tak-teams.test.ts has the real one)',
  },
  'DELETE /api/tak/pending/:uid': {
    noProof: 'a waiting TAK client exists only while it is connected (tak-teams.test.ts has the real one)',
  },
  'POST /api/meshtastic/pending/:nodeId/approve': {
    body: (b) => ({ memberId: b.memberId }),
    noProof: 'a waiting Meshtastic node is held only while its gateway relays it (meshtastic-mqtt.test.ts)',
  },
  'PUT /api/members/:memberId/inreach': {
    body: () => ({ url: 'https://share.garmin.com/Feed/Share/bravo' }),
  },
  'GET /api/members/:memberId/inreach': {},
  'DELETE /api/members/:memberId/inreach': { destructive: 1 },
  'DELETE /api/meshtastic/pending/:nodeId': {
    noProof: 'a waiting Meshtastic node is held only while its gateway relays it (meshtastic-mqtt.test.ts)',
  },
  'DELETE /api/tiles/:name': {
    noProof:
      "map areas are the server's, in its data folder, not a team's (tiles-api.test.ts has the real one)",
  },
  'DELETE /api/tiles/extracts/:id': {
    noProof: "map extracts are the server's, not a team's (tiles-api.test.ts has the real one)",
  },
};

/** Calls on A's own routes whose body names B's things (with A's own member `own` where one is needed). */
const BODY_ROWS: Array<{
  method: HTTPMethods;
  url: string;
  body: (b: Things, own: string) => object;
  /** The field a leader's refusal names (a plain member is refused before the body is read). */
  field: string;
}> = [
  {
    method: 'POST',
    url: '/api/casualties',
    body: (b) => ({ memberId: b.memberId, triage: 'red' }),
    field: 'memberId',
  },
  {
    method: 'POST',
    url: '/api/drills',
    body: (b, own) => ({ name: 'Stolen runner', runnerId: b.memberId, trackerIds: [own] }),
    field: 'runnerId',
  },
  {
    method: 'POST',
    url: '/api/operations',
    body: (b) => ({ name: 'Borrowed pack', participants: [{ memberId: b.memberId, role: 'tracker' }] }),
    field: 'participants',
  },
  { method: 'POST', url: '/api/alerts/ack', body: (b) => ({ alertIds: [b.alertId] }), field: 'alertIds' },
];

describe.each(engines)('the cross-team authorization matrix on $name', (engine) => {
  const { h, d } = useHarness(engine);

  const call = (method: HTTPMethods, url: string, headers: Headers, row: Row = {}, b?: Things) =>
    h.app.inject({
      method,
      url,
      headers: row.file ? { ...headers, 'content-type': row.file.type } : headers,
      ...(row.file ? { payload: row.file.data } : row.body && b ? { payload: row.body(b) } : {}),
    });

  async function ok(res: Awaited<ReturnType<typeof call>>, what: string) {
    expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }

  /** Team B with one of everything, made through the API by its own leader. */
  async function teamB() {
    const lead = await h.addMember('Bravo', 'BLEAD', { role: 'leader' });
    const scout = await h.addMember('Bravo', 'BSCOUT');
    const runner = await h.addMember('Bravo', 'BRUN');
    const tracker = await h.addMember('Bravo', 'BTRK');
    const as = (m: AddedMember) => bearer(m.token);
    const L = as(lead);
    const post = (url: string, payload: object, who = L) =>
      h.app.inject({ method: 'POST', url, headers: who, payload });
    const skill = await ok(await post('/api/skills', { name: 'Tracking' }), 'skill');
    const qualification = await ok(
      await post(`/api/members/${scout.memberId}/qualifications`, { skillId: skill.id }),
      'qualification',
    );
    const session = await ok(
      await post('/api/training-sessions', {
        title: 'Night navigation',
        startsAt: '2027-01-10T18:00:00.000Z',
        endsAt: '2027-01-10T21:00:00.000Z',
      }),
      'session',
    );
    const drill = await ok(
      await post('/api/drills', {
        name: 'Forest trail',
        runnerId: runner.memberId,
        trackerIds: [tracker.memberId],
      }),
      'drill',
    );
    const detection = await ok(
      await post('/api/detection-drills', {
        name: 'Gloves',
        resourceType: 'grid ground',
        searcherIds: [tracker.memberId],
        objects: [{ label: 'glove', lat: 51.05, lon: -1.31 }],
      }),
      'detection drill',
    );
    for (const m of [lead, scout, runner, tracker]) {
      await ok(
        await post('/api/positions', { lat: 51.05, lon: -1.31, time: new Date().toISOString() }, as(m)),
        'position',
      );
    }
    const exercise = await ok(
      await post('/api/operations', { name: 'Night trail', injects: [{ offsetS: 3600, message: 'Flare' }] }),
      'exercise',
    );
    await ok(await post(`/api/operations/${exercise.id}/actions`, { action: 'start' }), 'start');
    await ok(
      await post('/api/alerts/contact', { count: 2, position: { lat: 51.06, lon: -1.3 } }, as(scout)),
      'contact',
    );
    const contacts = await ok(
      await h.app.inject({ method: 'GET', url: '/api/contacts', headers: L }),
      'contacts',
    );
    const sos = await ok(await post('/api/alerts/sos', { text: 'twisted ankle' }, as(scout)), 'sos');
    const casualty = await ok(
      await post('/api/casualties', { memberId: scout.memberId, triage: 'yellow' }),
      'casualty',
    );
    const incident = await ok(
      await h.app.inject({ method: 'GET', url: '/api/incident', headers: L }),
      'incident',
    );
    const webhook = await ok(
      await post('/api/webhooks', { url: 'http://127.0.0.1:9/bravo-sms', events: ['real_alert'] }),
      'webhook',
    );
    const subject = await ok(
      await post('/api/subjects', { name: 'Bravo walker', lastKnown: { lat: 51.06, lon: -1.3 } }),
      'subject',
    );
    const operationId = incident.operation?.id ?? exercise.id;
    const segment = await ok(
      await post(`/api/operations/${operationId}/search/segments`, { name: 'Bravo wood', polygon: SQUARE }),
      'segment',
    );
    const searchPlan = await ok(
      await post(`/api/operations/${operationId}/search/assignments`, {
        segmentId: segment.id,
        memberIds: [tracker.memberId],
        resourceType: 'hasty',
        sweepWidthM: 20,
      }),
      'assignment',
    );
    const action = await ok(
      await post(`/api/operations/${exercise.id}/corrective-actions`, {
        text: 'Spare batteries',
        ownerId: scout.memberId,
      }),
      'action',
    );
    const things: Things = {
      memberId: tracker.memberId,
      deviceId: tracker.device,
      operationId,
      drillId: drill.operation.id,
      detectionDrillId: detection.operation.id,
      detectionObjectId: detection.objects[0].id,
      alertId: sos.id ?? sos.alert?.id,
      contactId: (contacts.contacts ?? contacts)[0].id,
      casualtyId: casualty.id,
      skillId: skill.id,
      qualificationId: qualification.id,
      sessionId: session.id,
      actionId: action.id,
      uid: 'ANDROID-b0b0b0b0b0b0',
      nodeId: '!b0b0b0b0',
      injectId: exercise.injects[0].id,
      subjectId: subject.id,
      segmentId: segment.id,
      assignmentId: searchPlan.segments[0].assignments[0].id,
      webhookId: webhook.id,
      exerciseId: exercise.id,
    };
    for (const [k, v] of Object.entries(things)) expect(v, k).toEqual(expect.any(String));
    const secrets = [lead, scout, runner, tracker].flatMap((m) => [m.token, m.device]);
    return { lead, things, secrets, L };
  }

  /** Everything of B, as B's leader sees it and as stored. */
  async function stateOf(teamId: string, headers: Headers) {
    const get = async (url: string) => (await h.app.inject({ method: 'GET', url, headers })).body;
    return {
      seq: await lastSeq(d.db, teamId),
      positions: await countPositions(d.db, teamId),
      views: await Promise.all(
        [
          '/api/members',
          '/api/operations',
          '/api/drills',
          '/api/detection-drills',
          '/api/skills',
          '/api/training-sessions',
          '/api/alerts',
          '/api/contacts',
          '/api/incident',
          '/api/corrective-actions',
        ].map(get),
      ),
    };
  }

  const routeOf = (key: string) => {
    const [method, url] = key.split(' ') as [HTTPMethods, string];
    return { method, url };
  };
  const fill = (url: string, b: Things, row: Row) => {
    const names: Record<string, string> = { ...b, ...row.params?.(b) };
    return url.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(String(names[p])));
  };

  it('has a row for every route that names a thing by id, and none for a route that is gone', () => {
    const withIds = h.app.routeAuth
      .filter((r) => r.url.includes(':') && r.method !== 'HEAD' && r.auth !== 'none')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(withIds.length).toBeGreaterThan(25);
    expect(Object.keys(ROWS).sort()).toEqual(withIds);
  });

  it("refuses A every call on B's things (403/404), shows nothing of B and changes nothing of B", async () => {
    const aLead = await h.addMember('Alpha', 'ALEAD', { role: 'leader' });
    const aScout = await h.addMember('Alpha', 'ASCOUT');
    // A's leader watches the live feed while B does everything B can do.
    const api = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const aLive = openLive(`${api.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(aLead.token)}`);
    await aLive.waitFor((m) => m.type === 'snapshot');
    const { things, secrets, L, lead } = await teamB();
    const callers = [
      { who: 'A leader token', headers: bearer(aLead.token) },
      { who: 'A member token', headers: bearer(aScout.token) },
      { who: 'A leader session', headers: { cookie: await h.sessionCookie('Alpha', 'ALEAD') } },
      { who: 'A member session', headers: { cookie: await h.sessionCookie('Alpha', 'ASCOUT') } },
    ];
    const before = await stateOf(lead.teamId, L);
    const wrong: string[] = [];
    let tried = 0;
    for (const { who, headers } of callers) {
      for (const [key, row] of Object.entries(ROWS)) {
        const { method, url } = routeOf(key);
        const res = await call(method, fill(url, things, row), headers, row, things);
        tried++;
        if (res.statusCode !== 403 && res.statusCode !== 404)
          wrong.push(`${who}: ${key} → ${res.statusCode}`);
        const leaked = secrets.filter((s) => res.body.includes(s));
        if (/BLEAD|BSCOUT|BRUN|BTRK|Bravo/.test(res.body) || leaked.length > 0)
          wrong.push(`${who}: ${key} shows B`);
      }
      for (const r of BODY_ROWS) {
        const res = await call(r.method, r.url, headers, { body: (b) => r.body(b, aScout.memberId) }, things);
        tried++;
        const field = res.statusCode === 403 ? r.field : res.json().error?.details?.field;
        if (res.statusCode < 400 || res.statusCode >= 500 || field !== r.field)
          wrong.push(`${who}: ${r.method} ${r.url} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBe(callers.length * (Object.keys(ROWS).length + BODY_ROWS.length));
    expect(await stateOf(lead.teamId, L)).toEqual(before);

    // B's own leader makes the same calls: they are well formed, so A's refusals were about A.
    const proofs = Object.entries(ROWS)
      .filter(([, row]) => !row.noProof)
      .sort(([, x], [, y]) => (x.destructive ?? 0) - (y.destructive ?? 0));
    const refused: string[] = [];
    for (const [key, row] of proofs) {
      const { method, url } = routeOf(key);
      const res = await call(method, fill(url, things, row), L, row, things);
      if (res.statusCode >= 400 && res.statusCode !== 409)
        refused.push(`${key} → ${res.statusCode} ${res.body}`);
    }
    expect(refused).toEqual([]);

    // A's live feed carried nothing of B, whatever kind of message B's traffic made. A's own last change
    // comes after B's on the in-order bus: once it is here, B's would be too.
    await ok(
      await h.app.inject({
        method: 'POST',
        url: '/api/members',
        headers: bearer(aLead.token),
        payload: { name: 'Last word', callsign: 'ALAST' },
      }),
      'A adds a member',
    );
    await aLive.waitFor((m) => JSON.stringify(m).includes('ALAST'));
    const bIds = Object.values(things);
    const leaked = aLive.messages
      .map((m) => JSON.stringify(m))
      .filter(
        (m) => /BLEAD|BSCOUT|BRUN|BTRK|Bravo/.test(m) || [...secrets, ...bIds].some((x) => m.includes(x)),
      );
    expect(leaked).toEqual([]);
    await aLive.close();
  });
});
