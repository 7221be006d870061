import { describe, expect, it } from 'vitest';
import { loadConfig, publicUrls } from './config.ts';

const ports = { http: 8080, https: 8443, osmand: 5055 };
const urls = (env: Record<string, string>) => publicUrls(loadConfig(env), '192.168.1.20', ports);

describe('the addresses Howl prints', () => {
  it('uses the LAN address when it listens on every interface', () => {
    expect(urls({ HOST: '0.0.0.0' })).toEqual({
      publicUrl: 'http://192.168.1.20:8080',
      httpsUrl: 'https://192.168.1.20:8443',
      osmandUrl: 'http://192.168.1.20:5055',
    });
  });

  it('uses the one address it listens on, never one where nothing listens', () => {
    expect(urls({ HOST: '127.0.0.1' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(urls({ HOST: '127.0.0.1' }).osmandUrl).toBe('http://127.0.0.1:5055');
    expect(urls({ HOST: '10.0.0.5' }).httpsUrl).toBe('https://10.0.0.5:8443');
    expect(urls({ HOST: '::1' }).publicUrl).toBe('http://[::1]:8080');
  });

  it('prefers HOWL_PUBLIC_URL whatever it listens on', () => {
    expect(urls({ HOST: '127.0.0.1', HOWL_PUBLIC_URL: 'https://howl.example.org' })).toEqual({
      publicUrl: 'https://howl.example.org',
      httpsUrl: 'https://howl.example.org',
      osmandUrl: 'http://howl.example.org:5055',
    });
  });
});

describe('push settings', () => {
  it('reads extra push service origins and the VAPID subject, naming a bad one', () => {
    const c = loadConfig({ HOWL_PUSH_ALLOWED_ORIGINS: 'https://push.example.org, https://10.0.0.9:8443' });
    expect(c.pushAllowedOrigins).toEqual(['https://push.example.org', 'https://10.0.0.9:8443']);
    expect(loadConfig({}).pushAllowedOrigins).toEqual([]);
    expect(loadConfig({ HOWL_PUSH_SUBJECT: 'mailto:ops@example.org' }).pushSubject).toBe(
      'mailto:ops@example.org',
    );
    expect(() => loadConfig({ HOWL_PUSH_ALLOWED_ORIGINS: 'http://push.example.org' })).toThrow(
      /HOWL_PUSH_ALLOWED_ORIGINS.*https/,
    );
    expect(() => loadConfig({ HOWL_PUSH_ALLOWED_ORIGINS: 'https://push.example.org/path' })).toThrow(
      /HOWL_PUSH_ALLOWED_ORIGINS/,
    );
    expect(() => loadConfig({ HOWL_PUSH_SUBJECT: 'ops@example.org' })).toThrow(/HOWL_PUSH_SUBJECT/);
  });
});

describe('APRS-IS settings', () => {
  it('reads the server and the callsign, upper-cased, and is off without them', () => {
    expect(
      loadConfig({ HOWL_APRS_IS: 'rotate.aprs2.net:14580', HOWL_APRS_CALLSIGN: 'n0call-10' }).aprs,
    ).toEqual({
      server: 'rotate.aprs2.net:14580',
      callsign: 'N0CALL-10',
    });
    expect(loadConfig({ HOWL_APRS_IS: '[::1]:14580', HOWL_APRS_CALLSIGN: 'N0CALL' }).aprs?.server).toBe(
      '[::1]:14580',
    );
    expect(loadConfig({}).aprs).toBeUndefined();
  });

  it.each([
    [{ HOWL_APRS_IS: 'rotate.aprs2.net', HOWL_APRS_CALLSIGN: 'N0CALL' }, /HOWL_APRS_IS/],
    [{ HOWL_APRS_IS: 'aprs://rotate.aprs2.net:14580', HOWL_APRS_CALLSIGN: 'N0CALL' }, /HOWL_APRS_IS/],
    [{ HOWL_APRS_IS: 'rotate.aprs2.net:99999', HOWL_APRS_CALLSIGN: 'N0CALL' }, /HOWL_APRS_IS.*65535/],
    [{ HOWL_APRS_IS: 'rotate.aprs2.net:14580', HOWL_APRS_CALLSIGN: 'N0 CALL' }, /HOWL_APRS_CALLSIGN/],
    [{ HOWL_APRS_IS: 'rotate.aprs2.net:14580', HOWL_APRS_CALLSIGN: 'TOOLONGCALL' }, /HOWL_APRS_CALLSIGN/],
    [{ HOWL_APRS_IS: 'rotate.aprs2.net:14580' }, /set both/],
    [{ HOWL_APRS_CALLSIGN: 'N0CALL' }, /set both/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('off-grid settings', () => {
  it('reads Meshtastic and inReach settings with their defaults, naming a bad one', () => {
    const d = loadConfig({});
    expect([d.meshtasticUrl, d.meshtasticRoot, d.meshtasticSendS, d.inreachPollS]).toEqual([
      undefined,
      'msh',
      30,
      120,
    ]);
    const c = loadConfig({
      HOWL_MESHTASTIC_URL: 'mqtt://127.0.0.1:1883',
      HOWL_MESHTASTIC_ROOT: 'sar',
      HOWL_MESHTASTIC_SEND_S: '60',
      HOWL_INREACH_POLL_S: '300',
    });
    expect([c.meshtasticUrl, c.meshtasticRoot, c.meshtasticSendS, c.inreachPollS]).toEqual([
      'mqtt://127.0.0.1:1883',
      'sar',
      60,
      300,
    ]);
    expect(() => loadConfig({ HOWL_MESHTASTIC_URL: 'http://broker' })).toThrow(/HOWL_MESHTASTIC_URL/);
    expect(() => loadConfig({ HOWL_MESHTASTIC_ROOT: 'msh/#' })).toThrow(/HOWL_MESHTASTIC_ROOT/);
    expect(() => loadConfig({ HOWL_INREACH_POLL_S: '5' })).toThrow(/HOWL_INREACH_POLL_S/);
    expect(() => loadConfig({ HOWL_INREACH_POLL_S: 'often' })).toThrow(/HOWL_INREACH_POLL_S/);
  });
});
