import { describe, expect, it } from 'vitest';
import {
  INRCOT_BAD_DATA,
  INRCOT_BAD_DATA2,
  INRCOT_BAD_NAMESPACE,
  INRCOT_IMEI,
  INRCOT_TEST,
  mapShareFeed,
} from '../../../test/fixtures/inreach/captures.ts';
import { isEmergencyEvent, parseMapShare } from './kml.ts';

const points = (xml: string) => {
  const r = parseMapShare(xml);
  if (!r.ok) throw new Error(r.reason);
  return r;
};

describe('MapShare KML', () => {
  it('reads inrcot’s inReach Mini point, skipping the track log', () => {
    const r = points(INRCOT_TEST);
    expect(r.rejected).toEqual([]);
    expect(r.points).toEqual([
      {
        imei: INRCOT_IMEI,
        time: new Date('2021-07-22T15:22:30Z'),
        lat: 33.874926,
        lon: -118.346915,
        altitudeM: 22.63,
        speedMps: 0,
        courseDeg: 0,
        emergency: false,
        text: undefined,
        event: 'Tracking interval received.',
      },
    ]);
  });

  it('reads a feed without the KML namespace (element names are what count)', () => {
    expect(points(INRCOT_BAD_NAMESPACE).points).toHaveLength(1);
  });

  it('rejects placemarks with a missing or dropped latitude, naming the field', () => {
    expect(points(INRCOT_BAD_DATA).rejected).toEqual([
      { placemark: 1, field: 'coordinates', reason: 'not lon,lat[,alt]' },
    ]);
    expect(points(INRCOT_BAD_DATA2).rejected).toEqual([
      { placemark: 1, field: 'coordinates', reason: 'disagree with Latitude and Longitude' },
    ]);
    expect(points(INRCOT_BAD_DATA2).points).toEqual([]);
  });

  it('marks emergencies by In Emergency or the event, not a cancelled one', () => {
    const feed = mapShareFeed([
      { imei: '300434030000001', when: '2026-12-04T10:00:00Z', lat: 46.1, lon: 7.1, inEmergency: true },
      {
        imei: '300434030000001',
        when: '2026-12-04T10:01:00Z',
        lat: 46.1,
        lon: 7.1,
        event: 'Emergency initiated from device',
      },
      {
        imei: '300434030000001',
        when: '2026-12-04T10:02:00Z',
        lat: 46.1,
        lon: 7.1,
        event: 'Emergency canceled',
        text: 'ok now',
      },
    ]);
    const r = points(feed);
    expect(r.rejected).toEqual([]);
    expect(r.points.map((p) => [p.emergency, p.text])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'ok now'],
    ]);
    expect(isEmergencyEvent('Emergency confirmed')).toBe(true);
  });

  it('refuses what is not a feed', () => {
    expect(parseMapShare('<html><body>Too Many Requests</body></html>')).toEqual({
      ok: false,
      reason: 'not a KML document (no <kml>)',
    });
    expect(parseMapShare('<kml><Document>')).toMatchObject({ ok: false, reason: 'not well-formed XML' });
    expect(parseMapShare('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x "y">]><kml/>')).toMatchObject({
      ok: false,
      reason: 'a DOCTYPE is not accepted',
    });
    const bad = mapShareFeed([{ imei: 'abc', when: '2026-12-04T10:00:00Z', lat: 46.1, lon: 7.1 }]);
    expect(points(bad).rejected).toEqual([{ placemark: 1, field: 'IMEI', reason: 'missing or not digits' }]);
    const far = mapShareFeed([{ imei: '1234567890', when: '2026-12-04T10:00:00Z', lat: 95, lon: 7.1 }]);
    expect(points(far).rejected[0]?.field).toBe('Latitude');
  });
});
