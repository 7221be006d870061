// The detection drills service and its store called directly, on every engine: one record per object and searcher
// (a second replaces it), objects replaced with their records kept or dropped, and the database's own checks.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { localFrame } from '../../src/domain/search-geometry.fixtures.ts';
import { insertDetectionDrill, listDetectionRecords } from '../../src/store/detection-drills.repo.ts';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-12-07T09:00:00Z');
const frame = localFrame({ lat: 65, lon: 25 });

describe.each(engines)('the detection drills service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'LEAD' | 'ALFA' | 'BRAVO'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'LEAD', ['ALFA', 'BRAVO']);
  });

  const plan = () =>
    s.services.detectionDrills.create(pack.as.LEAD, pack.id, {
      name: 'Hats',
      resourceType: 'hasty ground',
      searcherIds: [pack.m.ALFA.memberId, pack.m.BRAVO.memberId],
      objects: [
        { label: 'hat', ...frame.at(3, 0) },
        { label: 'glove', ...frame.at(-8, 50) },
      ],
    });

  it('keeps one record per object and searcher, the last one, and logs each as a drill change', async () => {
    const drill = await plan();
    const id = drill.operation.id;
    const [hat] = drill.objects;
    await s.services.operations.act(pack.as.LEAD, pack.id, id, 'start');
    const before = await s.lastSeq(pack.id);
    await s.services.detectionDrills.record(pack.as.ALFA, pack.id, id, {
      objectId: hat?.id ?? '',
      found: true,
    });
    clock.ms += 60_000;
    const sheet = await s.services.detectionDrills.record(pack.as.LEAD, pack.id, id, {
      objectId: hat?.id ?? '',
      found: false,
      searcherId: pack.m.ALFA.memberId,
    });
    expect(sheet.objects.map((o) => [o.label, o.found])).toEqual([
      ['hat', false],
      ['glove', false],
    ]);
    const rows = await listDetectionRecords(s.services.db, [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ found: false, recorded_by: pack.m.LEAD.memberId });
    expect(new Date(rows[0]?.recorded_at ?? 0).getTime()).toBe(START + 60_000);
    expect((await s.events(pack.id, before)).map(said)).toEqual([
      ['drill.updated', 'find', 'exercise'],
      ['drill.updated', 'find', 'exercise'],
    ]);
  });

  it('drops the records of an object left out when the objects are replaced', async () => {
    const drill = await plan();
    const id = drill.operation.id;
    const [hat, glove] = drill.objects;
    await s.services.operations.act(pack.as.LEAD, pack.id, id, 'start');
    for (const o of [hat, glove])
      await s.services.detectionDrills.record(pack.as.ALFA, pack.id, id, {
        objectId: o?.id ?? '',
        found: true,
      });
    const after = await s.services.detectionDrills.replaceObjects(pack.as.LEAD, pack.id, id, {
      objects: [{ id: glove?.id, label: 'blue glove', lat: glove?.lat ?? 0, lon: glove?.lon ?? 0 }],
    });
    expect(after.objects.map((o) => [o.id, o.label])).toEqual([[glove?.id, 'blue glove']]);
    expect((await listDetectionRecords(s.services.db, [id])).map((r) => r.object_id)).toEqual([glove?.id]);
  });

  it('has the database refuse what the contract refuses', async () => {
    const drill = await plan();
    const id = drill.operation.id;
    await expect(
      sql`insert into detection_objects (id, operation_id, position, label, lat, lon, notes)
          values (gen_random_uuid(), ${id}, 9, 'x', 95, 0, '')`.execute(s.services.db),
    ).rejects.toThrow(/check/);
    await expect(
      insertDetectionDrill(s.services.db, {
        operation_id: id,
        resource_type: '',
        visibility: null,
        bin_m: 5,
        max_range_m: 100,
      }),
    ).rejects.toThrow();
    await expect(
      sql`update operations set type = 'tracking-ish' where id = ${id}`.execute(s.services.db),
    ).rejects.toThrow(/operations_type_check/);
    await expect(
      sql`insert into sweep_widths (team_id, resource_type, sweep_width_m, source, updated_at)
          values (${pack.id}, 'K9', 10, 'guess', now())`.execute(s.services.db),
    ).rejects.toThrow(/sweep_widths_source_check/);
  });
});
