import { describe, expect, it } from 'vitest';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

describe.each(engines)('health and OpenAPI on $name', (engine) => {
  const { h } = useHarness(engine);

  it('answers health with the database kind', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: engine.name, version: 'test' });
  });

  it('publishes an OpenAPI document naming the public routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/positions/latest',
        '/api/members',
        '/api/team',
        '/api/positions',
      ]),
    );
  });

  it('answers an unknown route with a 404 error body', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
