import { describe, expect, it } from 'vitest';
import {
  ANDROID_CARD,
  ANDROID_ENCRYPTED,
  ANDROID_LOCATION_CREATED_AT,
  ANDROID_LOCATION_EXTENDED,
  ANDROID_TRANSITION,
  ANDROID_WAYPOINT,
  BOOKLET_HTTP_LOCATION,
  HOME_ASSISTANT_BEACON_TRANSITION,
  HOME_ASSISTANT_CORRUPT,
  HOME_ASSISTANT_LWT,
  RECORDER_IPHONE_LOCATION,
  RECORDER_IPHONE_LWT,
  TRACCAR_LOCATIONS,
} from '../../../test/fixtures/owntracks/captures.ts';
import { MAX_PAYLOAD_BYTES, type OwnTracksParse, parseOwnTracks } from './parse.ts';

const location = (r: OwnTracksParse) => {
  if (!r.ok || r.message.type !== 'location') throw new Error(`not a location: ${JSON.stringify(r)}`);
  return r.message.location;
};

describe('parseOwnTracks: locations the apps send', () => {
  it('reads the Android app extended location, battery full meaning plugged in', () => {
    expect(location(parseOwnTracks(ANDROID_LOCATION_EXTENDED))).toEqual({
      time: new Date(1514455575 * 1000),
      lat: 52.3153748,
      lon: 5.0408462,
      accuracyM: 1600,
      altitudeM: 0,
      speedMps: undefined,
      bearingDeg: 56,
      batteryPct: 99,
      charging: true,
      tid: 's5',
      conn: 'w',
      trigger: 'p',
      topic: undefined,
    });
  });

  it('ignores fields Howl does not use (SSID, created_at, m) and reads bs 0 as unknown', () => {
    const l = location(parseOwnTracks(ANDROID_LOCATION_CREATED_AT));
    expect(l).toMatchObject({ lat: 51, lon: 0, accuracyM: 5, altitudeM: 50, batteryPct: 100, speedMps: 0 });
    expect(l.charging).toBeUndefined();
    expect(l.time.getTime()).toBe(1709037003 * 1000);
  });

  it('decodes every body of Traccar’s OwnTracks decoder test', () => {
    for (const body of TRACCAR_LOCATIONS) expect(parseOwnTracks(body).ok, body).toBe(true);
    expect(location(parseOwnTracks(TRACCAR_LOCATIONS[0]))).toMatchObject({ accuracyM: 15, altitudeM: 440 });
  });

  it('turns vel in km/h into m/s', () => {
    const l = location(parseOwnTracks(TRACCAR_LOCATIONS[2]));
    expect(l.speedMps).toBeCloseTo(61 / 3.6, 9);
    expect(l).toMatchObject({ bearingDeg: 271, batteryPct: 67, trigger: 'u', tid: 'JJ' });
  });

  it('keeps the topic an app sends in HTTP mode', () => {
    expect(location(parseOwnTracks(BOOKLET_HTTP_LOCATION)).topic).toBe('owntracks/jane/phone');
    expect(location(parseOwnTracks(TRACCAR_LOCATIONS[4])).topic).toMatch(/^owntracks\/ckrey\//);
  });

  it('reads -1 from old iPhones as unknown, not as an error', () => {
    const l = location(parseOwnTracks(RECORDER_IPHONE_LOCATION));
    expect(l).toMatchObject({ accuracyM: 3000, batteryPct: 96 });
    expect(l.speedMps).toBeUndefined();
    expect(l.bearingDeg).toBeUndefined();
  });

  it('accepts numbers written as strings, null as absent, and a tst in milliseconds', () => {
    const l = location(
      parseOwnTracks('{"_type":"location","lat":"47.5","lon":8.5,"tst":1700000000123,"acc":null}'),
    );
    expect(l).toMatchObject({ lat: 47.5, lon: 8.5 });
    expect(l.accuracyM).toBeUndefined();
    expect(l.time.getTime()).toBe(1700000000123);
  });
});

describe('parseOwnTracks: transitions, lwt and other types', () => {
  it('reads a region transition', () => {
    expect(parseOwnTracks(ANDROID_TRANSITION)).toEqual({
      ok: true,
      message: {
        type: 'transition',
        transition: {
          event: 'leave',
          time: new Date(1603209966 * 1000),
          desc: 'myregion',
          lat: 52.71234,
          lon: -1.61234123,
          accuracyM: 3,
          trigger: 'l',
          tid: 'ce',
          regionTime: new Date(1558351273 * 1000),
          rid: undefined,
        },
      },
    });
    expect(parseOwnTracks(HOME_ASSISTANT_BEACON_TRANSITION)).toMatchObject({
      ok: true,
      message: { transition: { event: 'enter', desc: 'inner', trigger: 'b' } },
    });
  });

  it('reads the broker’s last will, its tst a number or a string', () => {
    expect(parseOwnTracks(RECORDER_IPHONE_LWT)).toEqual({
      ok: true,
      message: { type: 'lwt', time: new Date(1440363922 * 1000) },
    });
    expect(parseOwnTracks(HOME_ASSISTANT_LWT)).toMatchObject({ ok: true, message: { type: 'lwt' } });
  });

  it('reads a region the app defines, and its whole list of them', () => {
    expect(parseOwnTracks(ANDROID_WAYPOINT)).toEqual({
      ok: true,
      message: {
        type: 'waypoints',
        replace: false,
        waypoints: [
          {
            desc: 'mypoint',
            time: new Date(1558351273 * 1000),
            lat: 52.0027789,
            lon: -1.0829312,
            radiusM: 150,
            rid: undefined,
          },
        ],
      },
    });
    const list = JSON.stringify({
      _type: 'waypoints',
      _creator: 'test',
      waypoints: [
        JSON.parse(ANDROID_WAYPOINT),
        { _type: 'waypoint', desc: 'beacon', tst: 1558351274, rid: 'b1' },
      ],
    });
    expect(parseOwnTracks(list)).toMatchObject({
      ok: true,
      message: {
        type: 'waypoints',
        replace: true,
        waypoints: [{ desc: 'mypoint' }, { desc: 'beacon', rid: 'b1' }],
      },
    });
  });

  it('says which other types are not supported, without an error', () => {
    for (const [body, type] of [
      [ANDROID_ENCRYPTED, 'encrypted'],
      [ANDROID_CARD, 'card'],
      ['{"_type":"cmd","action":"reportLocation"}', 'cmd'],
      ['{"_type":"steps","steps":10}', 'steps'],
    ] as const) {
      expect(parseOwnTracks(body)).toEqual({ ok: true, message: { type: 'unsupported', messageType: type } });
    }
  });

  it('reads a zero-length payload as empty (a retained message being cleared)', () => {
    expect(parseOwnTracks(new Uint8Array())).toEqual({ ok: true, message: { type: 'empty' } });
  });
});

describe('parseOwnTracks: bad payloads', () => {
  it.each([
    ['not JSON', HOME_ASSISTANT_CORRUPT, 'payload'],
    ['a JSON array', '[{"_type":"location"}]', 'payload'],
    ['no _type', '{"lat":1,"lon":2,"tst":1700000000}', '_type'],
    ['no lat', '{"_type":"location","lon":2,"tst":1700000000}', 'lat'],
    ['no tst', '{"_type":"location","lat":1,"lon":2}', 'tst'],
    ['lat out of range', '{"_type":"location","lat":91,"lon":2,"tst":1700000000}', 'lat'],
    ['lon not a number', '{"_type":"location","lat":1,"lon":"east","tst":1700000000}', 'lon'],
    ['batt over 100', '{"_type":"location","lat":1,"lon":2,"tst":1700000000,"batt":140}', 'batt'],
    ['bs out of range', '{"_type":"location","lat":1,"lon":2,"tst":1700000000,"bs":7}', 'bs'],
    ['a transition event that is neither', '{"_type":"transition","event":"stay","tst":1700000000}', 'event'],
    ['a transition without event', '{"_type":"transition","desc":"home","tst":1700000000}', 'event'],
    ['a transition without tst', '{"_type":"transition","event":"leave","desc":"home"}', 'tst'],
    [
      'a waypoint with lat out of range',
      '{"_type":"waypoint","desc":"x","lat":95,"lon":1,"tst":1700000000}',
      'lat',
    ],
    ['a waypoint without desc', '{"_type":"waypoint","lat":5,"lon":1,"tst":1700000000}', 'desc'],
    [
      'a listed waypoint with a bad lat',
      '{"_type":"waypoints","waypoints":[{"desc":"a","tst":1700000000},{"desc":"b","lat":"north","tst":1700000000}]}',
      'waypoints.1.lat',
    ],
    ['waypoints that are not a list', '{"_type":"waypoints","waypoints":{}}', 'waypoints'],
    ['a _type no app sends', '{"_type":"teleport","lat":1,"lon":2}', '_type'],
  ])('rejects %s, naming the field', (_name, body, field) => {
    const r = parseOwnTracks(body);
    expect(r).toMatchObject({ ok: false, field });
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`^${field}`));
  });

  it('rejects a payload over 64 KiB before reading it', () => {
    const big = JSON.stringify({
      _type: 'location',
      lat: 1,
      lon: 2,
      tst: 1700000000,
      pad: 'x'.repeat(70_000),
    });
    expect(parseOwnTracks(Buffer.from(big))).toEqual({
      ok: false,
      field: 'payload',
      reason: `payload is ${big.length} bytes; at most ${MAX_PAYLOAD_BYTES} are accepted`,
    });
  });
});
