import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bearer } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

/** Bodies tried per route (fast-check, seeded: the same inputs every run). */
const RUNS = 40;

interface Operation {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  'x-howl-auth'?: string;
}

/** Strings that broke servers before: control characters, NUL, long, unicode, markup, SQL. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uD800',
    '<script>alert(1)</script>',
    "'; drop table members; --",
    '%00',
    '../../etc/passwd',
    '𝕳𝖔𝖜𝖑 🐺',
    ' ',
    'x'.repeat(100_000),
  ),
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, -0, 2 ** 53 + 1, 0.1, 91, -181, 1e-320),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nasty, number), { maxLength: 5 }),
  fc.dictionary(nasty, fc.oneof(nasty, number), { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 6 }),
);

/** A body for a route: anything at all, or its own fields with wrong, odd or extreme values. */
const bodyFor = (fields: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fields.length
      ? fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] })
      : fc.dictionary(nasty, value, { maxKeys: 3 }),
    fc.constant({ ['__proto__']: { admin: true }, constructor: { prototype: { x: 1 } } }),
  );

describe.each(engines)('every JSON body of the API, fuzzed, on $name', (engine) => {
  const { h, d } = useHarness(engine);

  it(`never answers 500 nor changes anything when it refuses (${RUNS} bodies a route)`, async () => {
    const lead = await h.addMember('Fuzz', 'LEAD', { role: 'leader' });
    await h.addMember('Fuzz', 'MEMBER');
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const seq = async () =>
      Number(
        (await sql<{ s: number }>`select last_seq as s from teams where id = ${lead.teamId}`.execute(d.db))
          .rows[0]?.s,
      );
    let tried = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const json = op.requestBody?.content?.['application/json'];
        if (!json || !['post', 'put', 'patch'].includes(method)) continue;
        // Sign-ins and sign-outs are limited and tested apart; the body is what is fuzzed here.
        if (path.startsWith('/api/auth/')) continue;
        const fields = Object.keys(json.schema?.properties ?? {});
        // Garmin's webhook carries the team's inReach secret instead of a Howl credential.
        const secret =
          path === '/api/inreach/outbound'
            ? `?secret=${(await h.app.inject({ method: 'GET', url: '/api/inreach/outbound-settings', headers: bearer(lead) })).json().secret}`
            : '';
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000') + secret;
        const headers =
          op['x-howl-auth'] === 'admin' ? { authorization: `Bearer ${ADMIN_SECRET}` } : bearer(lead);
        await fc.assert(
          fc.asyncProperty(bodyFor(fields), async (body) => {
            tried++;
            const before = await seq();
            const res = await h.app.inject({
              method: method.toUpperCase() as 'POST',
              url,
              headers: { ...headers, 'content-type': 'application/json' },
              payload: JSON.stringify(body),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500) {
              failures.push(
                `${method.toUpperCase()} ${path} ${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`,
              );
              return false;
            }
            if (res.statusCode >= 400) {
              const error = (res.json() as { error?: { code?: string; message?: string } }).error;
              if (!error?.code || !error.message) return false;
              if ((await seq()) !== before) return false;
            }
            return true;
          }),
          { numRuns: RUNS, seed: 20261204, endOnFailure: true },
        );
      }
    }
    console.log(
      `[api fuzz ${engine.name}] ${tried} bodies tried; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    // The bodies reached validation (400) and, where valid enough, the handlers: not all refused at the door.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(tried / 2);
    expect(statuses.get(401) ?? 0).toBe(0);
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  }, 600_000);
});
