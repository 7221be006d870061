import { parse } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { JSON_CAPTURES, QUERY_CAPTURES } from '../../../test/fixtures/osmand/traccar-captures.ts';
import { PositionReport } from '../../contract/positions.ts';
import { type OsmAndResult, parseOsmAnd } from './parse.ts';

/** A GET as the server sees it: the request target's query string parsed (repeated keys become arrays). */
function get(target: string): OsmAndResult {
  return parseOsmAnd({ query: parse(target.slice(target.indexOf('?') + 1)), body: undefined });
}

/** A POST of a JSON body, parsed as the server's JSON content-type parser would. */
function postJson(json: string, query: Record<string, unknown> = {}): OsmAndResult {
  return parseOsmAnd({ query, body: JSON.parse(json) });
}

/** The decoded report with its time as an ISO string, or a failed test naming the refused field. */
function decoded(result: OsmAndResult) {
  if (!result.ok) throw new Error(`expected a report, got ${result.field}: ${result.message}`);
  if (result.report === null) throw new Error('expected a report, got one without coordinates');
  return { ...result.report, time: result.report.time.toISOString() };
}

/** A GET received at `receivedAt`, the time a request without a timestamp is taken at. */
function getAt(target: string, receivedAt: Date): OsmAndResult {
  return parseOsmAnd({ query: parse(target.slice(target.indexOf('?') + 1)), body: undefined, receivedAt });
}

const RECEIVED = new Date('2026-12-04T10:30:00.000Z');
const BASE = { id: '123456', lat: '60.0', lon: '30.0', timestamp: '1377177267' };
const withParams = (params: Record<string, unknown>) =>
  parseOsmAnd({ query: { ...BASE, ...params }, body: undefined });

describe('parseOsmAnd: query captures from Traccar’s decoder test', () => {
  it('reads id, epoch seconds and coordinates from the minimal request', () => {
    expect(decoded(get(QUERY_CAPTURES.minimal))).toStrictEqual({
      deviceId: '123456',
      time: '2013-08-22T13:14:27.000Z',
      lat: 60,
      lon: 30,
      source: 'osmand',
    });
  });

  it('reads an URL-encoded ISO 8601 time with Z, and ignores hdop instead of inventing an accuracy', () => {
    expect(decoded(get(QUERY_CAPTURES.isoZulu))).toStrictEqual({
      deviceId: '902064',
      time: '2016-01-27T18:55:47.000Z',
      lat: 42.06288,
      lon: -88.23412,
      altitudeM: 224,
      speedMps: 0,
      source: 'osmand',
    });
  });

  it('reads a timestamp in epoch milliseconds', () => {
    expect(decoded(get(QUERY_CAPTURES.epochMillis))).toStrictEqual({
      deviceId: '902064',
      time: '2015-09-12T14:38:06.579Z',
      lat: 42.06288,
      lon: -88.23412,
      altitudeM: 224,
      speedMps: 0,
      source: 'osmand',
    });
  });

  it('reads "yyyy-MM-dd HH:mm:ss" (its space sent as +) as UTC, with the id as the last parameter', () => {
    expect(decoded(get(QUERY_CAPTURES.spaceSeparated))).toStrictEqual({
      deviceId: '353861053849681',
      time: '2014-06-04T09:10:11.000Z',
      lat: 49.60688,
      lon: 6.15788,
      altitudeM: 384.7,
      speedMps: 0,
      source: 'osmand',
    });
  });

  it('keeps zero speed, bearing and altitude as real values', () => {
    expect(decoded(get(QUERY_CAPTURES.epochSecondsFull))).toStrictEqual({
      deviceId: '123456',
      time: '2013-08-22T13:14:27.000Z',
      lat: 60,
      lon: 30,
      speedMps: 0,
      bearingDeg: 0,
      altitudeM: 0,
      source: 'osmand',
    });
  });

  it('reads location=lat,lon', () => {
    expect(decoded(get(QUERY_CAPTURES.locationPair))).toStrictEqual({
      deviceId: '123456',
      time: '2013-08-22T13:14:27.000Z',
      lat: 60,
      lon: 30,
      source: 'osmand',
    });
  });

  it('converts speed from knots to m/s and ignores unknown vehicle parameters', () => {
    expect(decoded(get(QUERY_CAPTURES.vehicleExtras))).toStrictEqual({
      deviceId: '123456789012345',
      time: '2017-09-07T05:56:50.000Z',
      lat: 40.7232948571,
      lon: -74.0061408571,
      bearingDeg: 7.19889788244,
      speedMps: expect.closeTo(20.5778, 4),
      source: 'osmand',
    });
  });

  it('acknowledges a report of cell towers and Wi-Fi only without a position: Howl does not geolocate cells', () => {
    expect(get(QUERY_CAPTURES.cellAndWifiOnly)).toEqual({ ok: true, report: null, deviceId: '123456' });
  });

  it('still refuses a report with neither coordinates nor cells, naming lat', () => {
    expect(get('/?id=123456&timestamp=1377177267')).toMatchObject({ ok: false, field: 'lat' });
  });

  it('refuses a request without a device id, as Traccar does', () => {
    expect(get(QUERY_CAPTURES.noDeviceId)).toMatchObject({ ok: false, field: 'id' });
  });

  it('takes a request without a timestamp at the time of receipt, as Traccar does', () => {
    expect(decoded(getAt(QUERY_CAPTURES.deviceIdNoTimestamp, RECEIVED))).toStrictEqual({
      deviceId: '123456',
      time: RECEIVED.toISOString(),
      lat: 60,
      lon: 30,
      speedMps: 0,
      bearingDeg: 0,
      altitudeM: 0,
      source: 'osmand',
    });
    expect(decoded(getAt(QUERY_CAPTURES.batteryNoTimestamp, RECEIVED))).toMatchObject({
      deviceId: '861001000719969',
      time: RECEIVED.toISOString(),
      batteryPct: 87,
    });
  });

  it('still needs a timestamp when it is not told the time of receipt (it has no clock)', () => {
    expect(get(QUERY_CAPTURES.deviceIdNoTimestamp)).toMatchObject({ ok: false, field: 'timestamp' });
    expect(get(QUERY_CAPTURES.batteryNoTimestamp)).toMatchObject({ ok: false, field: 'timestamp' });
  });

  it('prefers the request’s own timestamp to the time of receipt', () => {
    expect(decoded(getAt(QUERY_CAPTURES.minimal, RECEIVED)).time).toBe('2013-08-22T13:14:27.000Z');
  });

  it('reads deviceid and heading once a timestamp is added to that capture', () => {
    expect(decoded(get(`${QUERY_CAPTURES.deviceIdNoTimestamp}&timestamp=1377177267`))).toStrictEqual({
      deviceId: '123456',
      time: '2013-08-22T13:14:27.000Z',
      lat: 60,
      lon: 30,
      speedMps: 0,
      bearingDeg: 0,
      altitudeM: 0,
      source: 'osmand',
    });
  });

  it('reads the battery percent once a timestamp is added to that capture', () => {
    expect(decoded(get(`${QUERY_CAPTURES.batteryNoTimestamp}&timestamp=1377177267`))).toStrictEqual({
      deviceId: '861001000719969',
      time: '2013-08-22T13:14:27.000Z',
      lat: 41.666667,
      lon: -0.883333,
      altitudeM: 350.059479,
      speedMps: 0,
      batteryPct: 87,
      source: 'osmand',
    });
  });
});

describe('parseOsmAnd: JSON body captures from Traccar’s decoder test', () => {
  it('reads the Android body: speed already in m/s, heading -1 left unset, battery level 1 as 100 %', () => {
    expect(decoded(postJson(JSON_CAPTURES.android))).toStrictEqual({
      deviceId: '48241179',
      time: '2025-06-15T13:45:12.862Z',
      lat: 37.4219983,
      lon: -122.084,
      accuracyM: 5,
      speedMps: 0,
      altitudeM: 5,
      batteryPct: 100,
      charging: false,
      source: 'osmand',
    });
  });

  it('ignores custom extras', () => {
    expect(decoded(postJson(JSON_CAPTURES.androidExtras))).toStrictEqual(
      decoded(postJson(JSON_CAPTURES.android)),
    );
  });

  it('leaves speed, heading and battery unset when the iOS simulator sends -1 for them', () => {
    expect(decoded(postJson(JSON_CAPTURES.iosSimulator))).toStrictEqual({
      deviceId: '658765',
      time: '2025-05-09T04:11:30.579Z',
      lat: 37.785834,
      lon: -122.406417,
      accuracyM: 5,
      altitudeM: 0,
      charging: false,
      source: 'osmand',
    });
  });

  it('keeps a moving phone’s speed in m/s, its heading, and battery level 0.79 as 79 %', () => {
    expect(decoded(postJson(JSON_CAPTURES.moving))).toStrictEqual({
      deviceId: '8737767034',
      time: '2021-07-21T08:06:34.444Z',
      lat: -6.1148096,
      lon: 106.6837015,
      accuracyM: 3.8,
      speedMps: 18.67,
      bearingDeg: 63,
      altitudeM: 35.7,
      batteryPct: 79,
      charging: false,
      source: 'osmand',
    });
  });

  it('reads the same body when it arrives as unparsed text', () => {
    const result = parseOsmAnd({ query: {}, body: JSON_CAPTURES.moving });
    expect(decoded(result)).toStrictEqual(decoded(postJson(JSON_CAPTURES.moving)));
  });

  it('ignores the query string when the body is JSON, as Traccar does', () => {
    const result = postJson(JSON_CAPTURES.android, {
      id: 'someone-else',
      lat: '1',
      lon: '2',
      timestamp: '0',
    });
    expect(decoded(result)).toMatchObject({ deviceId: '48241179', lat: 37.4219983 });
  });

  it('returns a report that passes the PositionReport contract', () => {
    const result = postJson(JSON_CAPTURES.moving);
    expect(result.ok && PositionReport.safeParse(result.report).success).toBe(true);
  });
});

describe('parseOsmAnd: JSON bodies', () => {
  const body = (location: Record<string, unknown>, root: Record<string, unknown> = {}) =>
    parseOsmAnd({
      query: {},
      body: {
        device_id: 'k9-rex',
        location: {
          timestamp: '2024-06-15T13:45:12.862Z',
          coords: { latitude: 47.1, longitude: 8.5 },
          ...location,
        },
        ...root,
      },
    });

  it('leaves accuracy unset when it is -1', () => {
    const result = body({ coords: { latitude: 47.1, longitude: 8.5, accuracy: -1, speed: 1.5, heading: 0 } });
    expect(decoded(result)).toStrictEqual({
      deviceId: 'k9-rex',
      time: '2024-06-15T13:45:12.862Z',
      lat: 47.1,
      lon: 8.5,
      speedMps: 1.5,
      bearingDeg: 0,
      source: 'osmand',
    });
  });

  it('reads a charging battery', () => {
    expect(decoded(body({ battery: { level: 0.5, is_charging: true } }))).toMatchObject({
      batteryPct: 50,
      charging: true,
    });
  });

  it('reads an alarm from location.extras and prefers location.alarm', () => {
    expect(decoded(body({ extras: { alarm: 'sos' } })).alarm).toBe('sos');
    expect(decoded(body({ alarm: 'fall', extras: { alarm: 'sos' } })).alarm).toBe('fall');
  });

  it('keeps 0,0 as a position', () => {
    expect(decoded(body({ coords: { latitude: 0, longitude: 0 } }))).toMatchObject({ lat: 0, lon: 0 });
  });

  it.each([
    ['a missing device_id', body({}, { device_id: undefined }), 'device_id'],
    ['an empty device_id', body({}, { device_id: '' }), 'device_id'],
    ['a location that is not an object', body({}, { location: 'x' }), 'location'],
    ['a missing timestamp', body({ timestamp: undefined }), 'location.timestamp'],
    ['an unparseable timestamp', body({ timestamp: 'now' }), 'location.timestamp'],
    ['missing coords', body({ coords: undefined }), 'location.coords'],
    ['a missing latitude', body({ coords: { longitude: 8.5 } }), 'location.coords.latitude'],
    [
      'a non-numeric latitude',
      body({ coords: { latitude: 'abc', longitude: 8.5 } }),
      'location.coords.latitude',
    ],
    [
      'a latitude out of range',
      body({ coords: { latitude: 91, longitude: 8.5 } }),
      'location.coords.latitude',
    ],
    [
      'a longitude out of range',
      body({ coords: { latitude: 0, longitude: -181 } }),
      'location.coords.longitude',
    ],
    ['an alarm that is not text', body({ alarm: 1 }), 'location.alarm'],
  ])('refuses %s', (_, result, field) => {
    expect(result).toMatchObject({ ok: false, field });
  });

  it('takes a body without location.timestamp at the time of receipt', () => {
    const result = parseOsmAnd({
      query: {},
      body: { device_id: 'k9-rex', location: { coords: { latitude: 47.1, longitude: 8.5 } } },
      receivedAt: RECEIVED,
    });
    expect(decoded(result).time).toBe(RECEIVED.toISOString());
  });

  it.each([
    [
      'a heading over 360',
      { coords: { latitude: 47.1, longitude: 8.5, heading: 400 } },
      'location.coords.heading',
    ],
    [
      'a speed that is text',
      { coords: { latitude: 47.1, longitude: 8.5, speed: 'fast' } },
      'location.coords.speed',
    ],
    [
      'an accuracy of a million km',
      { coords: { latitude: 47.1, longitude: 8.5, accuracy: 1e9 } },
      'location.coords.accuracy',
    ],
    [
      'an altitude below -1000 m',
      { coords: { latitude: 47.1, longitude: 8.5, altitude: -5000 } },
      'location.coords.altitude',
    ],
    [
      'an altitude that is an object',
      { coords: { latitude: 47.1, longitude: 8.5, altitude: {} } },
      'location.coords.altitude',
    ],
    ['a battery level over 1', { battery: { level: 1.5 } }, 'location.battery.level'],
    ['a battery level that is text', { battery: { level: 'full' } }, 'location.battery.level'],
    ['a non-boolean is_charging', { battery: { is_charging: 'yes' } }, 'location.battery.is_charging'],
  ])('keeps the position and drops %s, naming it', (_, location, field) => {
    const result = body(location);
    expect(decoded(result)).toMatchObject({ deviceId: 'k9-rex', lat: 47.1, lon: 8.5 });
    expect(result.ok && result.report !== null && result.dropped.map((d) => d.field)).toEqual([field]);
  });
});

describe('parseOsmAnd: form bodies', () => {
  // The fields traccar-client-sdk's HttpUploader submits (core/src/commonMain/kotlin/org/traccar/client/HttpUploader.kt).
  const sdkForm =
    'id=k9-rex&lat=47.3769&lon=8.5417&timestamp=1718459112&accuracy=4.5&altitude=408.0&speed=3.89&bearing=271.5' +
    '&batt=64&charge=false&alarm=sos&battery_health=good&battery_voltage=3900&battery_temp=28.5';
  const sdkReport = {
    deviceId: 'k9-rex',
    time: '2024-06-15T13:45:12.000Z',
    lat: 47.3769,
    lon: 8.5417,
    accuracyM: 4.5,
    altitudeM: 408,
    speedMps: expect.closeTo(2.0012, 4),
    bearingDeg: 271.5,
    batteryPct: 64,
    charging: false,
    alarm: 'sos',
    source: 'osmand',
  };

  it('reads the form the Traccar Client SDK posts, parsed by the server', () => {
    expect(decoded(parseOsmAnd({ query: {}, body: parse(sdkForm) }))).toStrictEqual(sdkReport);
  });

  it('reads the same form as raw text or bytes', () => {
    expect(decoded(parseOsmAnd({ query: {}, body: sdkForm }))).toStrictEqual(sdkReport);
    expect(decoded(parseOsmAnd({ query: {}, body: Buffer.from(sdkForm) }))).toStrictEqual(sdkReport);
  });

  it('merges query and body, the query winning for a parameter sent in both', () => {
    const result = parseOsmAnd({
      query: { id: 'from-query', lat: '1' },
      body: { id: 'from-body', lat: '2', lon: '3' },
    });
    expect(result).toMatchObject({ ok: false, field: 'timestamp' });
    const merged = parseOsmAnd({
      query: { id: 'from-query', lat: '1' },
      body: { id: 'from-body', lat: '2', lon: '3', timestamp: '1718459112' },
    });
    expect(decoded(merged)).toMatchObject({ deviceId: 'from-query', lat: 1, lon: 3 });
  });

  it('treats an empty value as absent', () => {
    const result = parseOsmAnd({ query: { speed: '' }, body: { ...BASE, speed: '10' } });
    expect(decoded(result).speedMps).toBeCloseTo(5.14444, 5);
    expect(decoded(withParams({ alarm: '', batt: '' }))).toStrictEqual(decoded(withParams({})));
  });

  it('accepts a flat JSON object with numbers and booleans like a form', () => {
    const result = parseOsmAnd({
      query: {},
      body: { id: 'k9-rex', lat: 47.5, lon: 8.5, timestamp: 1718459112, charge: true },
    });
    expect(decoded(result)).toMatchObject({ deviceId: 'k9-rex', lat: 47.5, lon: 8.5, charging: true });
  });
});

describe('parseOsmAnd: parameters', () => {
  it('converts speed from knots to m/s', () => {
    expect(decoded(withParams({ speed: '1' })).speedMps).toBeCloseTo(0.514444, 6);
    expect(decoded(withParams({ speed: '1943' })).speedMps).toBeCloseTo(999.57, 2);
  });

  it('keeps lat=0&lon=0', () => {
    expect(decoded(withParams({ lat: '0', lon: '0' }))).toMatchObject({ lat: 0, lon: 0 });
  });

  it('prefers id over deviceid, and lat/lon over location', () => {
    const result = withParams({ deviceid: 'other', location: '10,20' });
    expect(decoded(result)).toMatchObject({ deviceId: '123456', lat: 60, lon: 30 });
  });

  it('keeps the last value of a repeated parameter, as Traccar does', () => {
    expect(decoded(get('/?id=123456&timestamp=1377177267&lat=1&lat=60.5&lon=30')).lat).toBe(60.5);
  });

  it('reads bearing 360, accuracy, altitude below sea level, battery and charging', () => {
    const result = withParams({
      bearing: '360',
      accuracy: '12.5',
      altitude: '-28',
      batt: '100',
      charge: 'TRUE',
    });
    expect(decoded(result)).toMatchObject({
      bearingDeg: 360,
      accuracyM: 12.5,
      altitudeM: -28,
      batteryPct: 100,
      charging: true,
    });
    expect(decoded(withParams({ charge: '0' })).charging).toBe(false);
  });

  it('reads an alarm and trims it', () => {
    expect(decoded(withParams({ alarm: ' sos ' })).alarm).toBe('sos');
  });

  it('ignores unknown parameters whatever they hold', () => {
    expect(
      decoded(withParams({ hdop: '0.9', valid: 'false', foo: { bar: 1 }, cell: ['1', '2'] })),
    ).toStrictEqual(decoded(withParams({})));
  });
});

describe('parseOsmAnd: timestamp forms', () => {
  it.each([
    ['epoch seconds', '1718459112', '2024-06-15T13:45:12.000Z'],
    ['epoch milliseconds', '1718459112862', '2024-06-15T13:45:12.862Z'],
    ['the largest value read as seconds (below 2^31 - 1)', '2147483646', '2038-01-19T03:14:06.000Z'],
    ['2^31 - 1, read as milliseconds like Traccar', '2147483647', '1970-01-25T20:31:23.647Z'],
    ['ISO 8601 with Z', '2024-06-15T13:45:12Z', '2024-06-15T13:45:12.000Z'],
    ['ISO 8601 with milliseconds', '2024-06-15T13:45:12.862Z', '2024-06-15T13:45:12.862Z'],
    ['ISO 8601 with microseconds', '2024-06-15T13:45:12.862519Z', '2024-06-15T13:45:12.862Z'],
    ['ISO 8601 with a +02:00 offset', '2024-06-15T15:45:12+02:00', '2024-06-15T13:45:12.000Z'],
    ['ISO 8601 with a -0530 offset', '2024-06-15T08:15:12-0530', '2024-06-15T13:45:12.000Z'],
    [
      'ISO 8601 with an offset whose + was decoded as a space',
      '2024-06-15T15:45:12 02:00',
      '2024-06-15T13:45:12.000Z',
    ],
    ['ISO 8601 without a zone, as UTC', '2024-06-15T13:45:12', '2024-06-15T13:45:12.000Z'],
    ['ISO 8601 without seconds, as UTC', '2024-06-15T13:45', '2024-06-15T13:45:00.000Z'],
    ['"yyyy-MM-dd HH:mm:ss", as UTC', '2024-06-15 13:45:12', '2024-06-15T13:45:12.000Z'],
    ['"yyyy-MM-dd+HH:mm:ss" left undecoded', '2024-06-15+13:45:12', '2024-06-15T13:45:12.000Z'],
  ])('reads %s', (_, timestamp, iso) => {
    expect(decoded(withParams({ timestamp })).time).toBe(iso);
  });

  it('reads a URL-encoded ISO time from a raw query', () => {
    expect(decoded(get('/?id=123456&lat=60&lon=30&timestamp=2024-06-15T15%3A45%3A12%2B02%3A00')).time).toBe(
      '2024-06-15T13:45:12.000Z',
    );
  });

  it.each([
    ['words', 'yesterday'],
    ['a date without a time', '2024-06-15'],
    ['month 13', '2024-13-01T00:00:00Z'],
    ['30 February', '2024-02-30T10:00:00Z'],
    ['hour 24', '2024-06-15T24:00:00Z'],
    ['an offset over 18 hours', '2024-06-15T13:45:12+25:00'],
    ['fractional epoch seconds', '1718459112.5'],
    ['negative epoch seconds', '-1718459112'],
    ['an epoch beyond safe integers', '99999999999999999999'],
  ])('refuses %s', (_, timestamp) => {
    expect(withParams({ timestamp })).toMatchObject({ ok: false, field: 'timestamp' });
  });
});

describe('parseOsmAnd: bad parameters name their field', () => {
  it.each([
    ['a missing id', { id: undefined }, 'id'],
    ['an empty id', { id: '' }, 'id'],
    ['an id shorter than 3 characters', { id: 'ab' }, 'id'],
    ['an id with a space inside', { id: 'k9 rex' }, 'id'],
    ['a bad deviceid', { id: undefined, deviceid: 'x' }, 'deviceid'],
    ['a missing lat', { lat: undefined }, 'lat'],
    ['an empty lat', { lat: '' }, 'lat'],
    ['a non-numeric lat', { lat: 'abc' }, 'lat'],
    ['lat NaN', { lat: 'NaN' }, 'lat'],
    ['lat Infinity', { lat: 'Infinity' }, 'lat'],
    ['lat 91', { lat: '91' }, 'lat'],
    ['lat -90.0001', { lat: '-90.0001' }, 'lat'],
    ['a missing lon', { lon: undefined }, 'lon'],
    ['lon 180.5', { lon: '180.5' }, 'lon'],
    ['lon with a decimal comma', { lon: '30,5' }, 'lon'],
    ['a location with one number', { lat: undefined, lon: undefined, location: '60.0' }, 'location'],
    ['a location with three numbers', { lat: undefined, lon: undefined, location: '1,2,3' }, 'location'],
    ['a location with text', { lat: undefined, lon: undefined, location: '60,abc' }, 'location'],
    ['a location out of range', { lat: undefined, lon: undefined, location: '95,30' }, 'location'],
    ['an alarm over 64 characters', { alarm: 'x'.repeat(65) }, 'alarm'],
    ['a nested value for a known parameter', { speed: { knots: 3 } }, 'speed'],
  ])('refuses %s', (_, params, field) => {
    const result = withParams(params);
    expect(result).toMatchObject({ ok: false, field });
    expect(result.ok || result.message.length > 0).toBe(true);
  });
});

describe('parseOsmAnd: a bad auxiliary field is dropped, the position kept (as Traccar keeps it)', () => {
  it.each([
    ['a non-numeric speed', { speed: 'fast' }, 'speed'],
    ['a negative speed', { speed: '-1' }, 'speed'],
    ['a speed over 1000 m/s', { speed: '2000' }, 'speed'],
    ['a bearing over 360', { bearing: '361' }, 'bearing'],
    ['a negative bearing', { bearing: '-90' }, 'bearing'],
    ['a non-numeric heading', { heading: 'north' }, 'heading'],
    ['a negative accuracy', { accuracy: '-5' }, 'accuracy'],
    ['an accuracy over 100 km', { accuracy: '1e6' }, 'accuracy'],
    ['an altitude below -1000 m', { altitude: '-2000' }, 'altitude'],
    ['an altitude of NaN', { altitude: 'NaN' }, 'altitude'],
    ['a battery over 100 %', { batt: '101' }, 'batt'],
    ['a negative battery', { batt: '-1' }, 'batt'],
    ['a non-numeric battery', { batt: 'full' }, 'batt'],
    ['a charge that is not a boolean', { charge: 'yes' }, 'charge'],
  ])('keeps the position with %s, dropping only that field', (_, params, field) => {
    const result = withParams({ ...params, altitude: 'altitude' in params ? params.altitude : '12' });
    expect(decoded(result)).toMatchObject({ deviceId: '123456', lat: 60, lon: 30 });
    if (field !== 'altitude') expect(decoded(result).altitudeM).toBe(12);
    expect(result.ok && result.report !== null && result.dropped.map((d) => d.field)).toEqual([field]);
  });

  it('drops every bad auxiliary field of one request and keeps the good ones', () => {
    const result = withParams({ speed: '-3', bearing: '720', accuracy: '7', batt: '250', charge: 'maybe' });
    expect(decoded(result)).toStrictEqual({ ...decoded(withParams({})), accuracyM: 7 });
    expect(result.ok && result.report !== null && result.dropped.map((d) => d.field).sort()).toEqual([
      'batt',
      'bearing',
      'charge',
      'speed',
    ]);
  });

  it('says the unit a speed was checked in', () => {
    const result = withParams({ speed: '2000' });
    const dropped = result.ok && result.report !== null ? result.dropped : [];
    expect(dropped[0]?.message).toMatch(/^speed is invalid: .*m\/s/);
  });
});

describe('parseOsmAnd: bodies that are neither a form nor the JSON shape', () => {
  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['text that is not a form', 'hello'],
    ['broken JSON', '{"device_id": '],
    ['a JSON array (batch upload)', [{ id: '123456' }]],
    ['a JSON array as text', '[{"id":"123456"}]'],
    ['a function', () => 1],
  ])('refuses %s, naming body', (_, body) => {
    expect(parseOsmAnd({ query: BASE, body })).toMatchObject({ ok: false, field: 'body' });
  });

  it('accepts an empty body next to a complete query', () => {
    expect(parseOsmAnd({ query: BASE, body: '' }).ok).toBe(true);
    expect(parseOsmAnd({ query: BASE, body: null }).ok).toBe(true);
    expect(parseOsmAnd({ query: BASE, body: {} }).ok).toBe(true);
  });
});

describe('parseOsmAnd: parameter names that are also object properties', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'reads a form body with a parameter named %s like any other, without failing',
    (name) => {
      const r = parseOsmAnd({ query: {}, body: `${name}=1&id=dev1&lat=46.5&lon=7.9&timestamp=1700000000` });
      expect(r.ok).toBe(true);
      if (r.ok && r.report) expect(r.report).toMatchObject({ deviceId: 'dev1', lat: 46.5, lon: 7.9 });
      const only = parseOsmAnd({ query: {}, body: `${name}=1&${name}=2` });
      expect(only.ok).toBe(false);
    },
  );
});
