import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { type RunningHowl, startHowl } from '../app/start.ts';
import type { AddedMember } from '../contract/members.ts';
import { runLoad } from './load.ts';

describe('the load generator', () => {
  let dir: string;
  let howl: RunningHowl;
  const members: AddedMember[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'howl-load-'));
    howl = await startHowl(
      loadConfig({
        PORT: '0',
        HOWL_HTTPS_PORT: '0',
        HOWL_OSMAND_PORT: '0',
        HOWL_COT_PORT: '0',
        HOST: '127.0.0.1',
        HOWL_DATA_DIR: dir,
      }),
      { logger: false, webDir: null },
    );
    const team = await howl.services.teams.resolveExisting(undefined);
    for (let i = 0; i < 20; i++) {
      members.push(
        await howl.services.members.add({ kind: 'admin' }, team, { name: `Load ${i}`, callsign: `L${i}` }),
      );
    }
  });

  afterAll(async () => {
    await howl?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['osmand', 'field'] as const)(
    'sends N members × R reports through %s, all acknowledged and seen live',
    async (gateway) => {
      const report = await runLoad({
        apiUrl: howl.localUrl,
        osmandUrl: `http://127.0.0.1:${howl.ports.osmand}`,
        gateway,
        members,
        ratePerS: 2,
        durationS: 1.5,
        viewers: 2,
      });
      // 20 members, 2 a second, 1.5 s: three reports each, give or take the phase of the last one.
      expect(report.sent).toBeGreaterThanOrEqual(40);
      expect(report.sent).toBeLessThanOrEqual(80);
      expect(report).toMatchObject({ acknowledged: report.sent, refused: 0, failed: 0, errors: [] });
      expect(report.byStatus).toEqual({ 200: report.sent });
      expect(report.viewers.connected).toBe(2);
      expect(report.viewers.minPerViewer).toBeGreaterThanOrEqual(report.acknowledged);
    },
  );

  it('refuses impossible settings', async () => {
    const base = { apiUrl: howl.localUrl, gateway: 'field' as const, members, ratePerS: 1, durationS: 1 };
    await expect(runLoad({ ...base, members: [] })).rejects.toThrow(/members/);
    await expect(runLoad({ ...base, ratePerS: 0 })).rejects.toThrow(/ratePerS/);
    await expect(runLoad({ ...base, gateway: 'osmand' })).rejects.toThrow(/osmandUrl/);
  });
});
