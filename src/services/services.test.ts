import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { INTERNAL_EVENT_NAMES } from './core/internal-events.ts';
import { createServices } from './services.ts';

describe('createServices', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
  });
  afterAll(() => database.close());

  it('gives every internal event its subscribers', () => {
    const services = createServices(database.db, () => ({ publicUrl: '', httpsUrl: null, osmandUrl: '' }));
    for (const name of INTERNAL_EVENT_NAMES)
      expect(services.events.subscribers(name), name).toBeGreaterThan(0);
    // An SOS alarm raises the SOS and leaves other words to the device notices: both must listen.
    expect(services.events.subscribers('device.alarm')).toBe(2);
    // The real alert, the roll call and a suspended drill's tracks.
    expect(services.events.subscribers('incident.opened')).toBe(3);
  });
});
