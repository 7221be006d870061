import { describe, expect, it, vi } from 'vitest';
import { Admission, addressKey, RefusalLog, Ticket } from './admission.ts';

const limits = { maxUnidentified: 4, maxUnidentifiedPerAddress: 2, evictAfterMs: 1000 };

function pool() {
  let now = 0;
  const closed: Array<{ n: number; reason: string }> = [];
  let n = 0;
  const a = new Admission(limits, () => now);
  const admit = (address: string) => {
    const id = ++n;
    return a.admit(address, (reason) => closed.push({ n: id, reason }));
  };
  return { a, admit, closed, tick: (ms: number) => (now += ms) };
}

describe('Admission', () => {
  it('refuses a burst from one address beyond its cap, and lets other addresses in', () => {
    const p = pool();
    expect(p.admit('10.0.0.1')).toBeInstanceOf(Ticket);
    expect(p.admit('10.0.0.1')).toBeInstanceOf(Ticket);
    expect(p.admit('10.0.0.1')).toBe('address_full');
    expect(p.admit('10.0.0.2')).toBeInstanceOf(Ticket);
    expect(p.a.size).toBe(3);
    expect(p.closed).toEqual([]);
  });

  it("makes room by closing the address's oldest connection once it is old enough", () => {
    const p = pool();
    p.admit('10.0.0.1');
    p.tick(500);
    p.admit('10.0.0.1');
    p.tick(600);
    expect(p.admit('10.0.0.1')).toBeInstanceOf(Ticket);
    expect(p.closed).toEqual([{ n: 1, reason: expect.stringMatching(/its address/) }]);
    expect(p.a.size).toBe(2);
  });

  it('when all slots are full, closes the oldest of the address holding the most', () => {
    const p = pool();
    p.admit('10.0.0.1');
    p.admit('10.0.0.2');
    p.admit('10.0.0.2');
    p.admit('10.0.0.3');
    expect(p.admit('10.0.0.4')).toBe('all_full');
    p.tick(1000);
    expect(p.admit('10.0.0.4')).toBeInstanceOf(Ticket);
    expect(p.closed).toEqual([{ n: 2, reason: expect.stringMatching(/too many unidentified/) }]);
  });

  it('frees the slot of a connection that binds or ends, and closes at the deadline unless heard', () => {
    vi.useFakeTimers();
    try {
      const p = pool();
      const bound = p.admit('10.0.0.1') as Ticket;
      const slow = p.admit('10.0.0.1') as Ticket;
      const talker = p.admit('10.0.0.2') as Ticket;
      for (const t of [bound, slow, talker]) t.deadline(10_000, 'no whole event in time');
      bound.identified();
      talker.heard();
      expect(p.a.size).toBe(2);
      expect(p.admit('10.0.0.1')).toBeInstanceOf(Ticket);
      vi.advanceTimersByTime(10_000);
      expect(p.closed).toEqual([{ n: 2, reason: 'no whole event in time' }]);
      expect(p.a.size).toBe(2);
      talker.release();
      talker.release();
      expect(p.a.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('addressKey', () => {
  it('counts IPv4 as is, mapped IPv4 as IPv4, and IPv6 by its /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('RefusalLog', () => {
  it('logs every refusal at debug and at most one warning a minute, with the counts', () => {
    let now = 0;
    const lines: Array<[string, object, string]> = [];
    const at = (level: string) => (obj: object, msg: string) => void lines.push([level, obj, msg]);
    const log = new RefusalLog(
      { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
      () => now,
    );
    for (let i = 0; i < 500; i++) log.note('address_full', '127.0.0.1:1');
    now = 61_000;
    log.note('no whole event in time', '127.0.0.1:2');
    const warns = lines.filter((l) => l[0] === 'warn');
    expect(warns).toHaveLength(2);
    expect(warns[1]?.[1]).toMatchObject({ counts: { address_full: 499, 'no whole event in time': 1 } });
    expect(lines.filter((l) => l[0] === 'debug')).toHaveLength(501);
  });
});
