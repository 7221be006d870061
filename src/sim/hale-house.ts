import type { Role } from '../contract/common.ts';
import {
  derekReachesStiles,
  gather,
  isaacReportsContact,
  startex,
  trackersLoseHim,
} from './hale-house-drill.ts';
import { closeIncident, converge, derekIsHurt, escalate, night, rollCall } from './hale-house-real.ts';
import { type Connection, type Gateway, type MemberCredentials, PackMember } from './pack-member.ts';
import { createRng, forkRng } from './random.ts';
import { type Callsign, near, type StoryContext } from './story-context.ts';
import { type StepResult, StoryLog } from './story-log.ts';
import { HALE_HOUSE } from './terrain.ts';
import { World } from './world.ts';

export type { Callsign } from './story-context.ts';

export interface PackSpec {
  callsign: Callsign;
  name: string;
  role: Role;
  /** How the phone reports positions; every member also has the field page open for alerts. */
  gateway: Gateway;
  reportEveryS: number;
  /** The device id to register (an OwnTracks app is `USER-DEVICE`); a generated one otherwise. */
  device?: string;
}

/** The pack of six: who they are and which app each one's phone reports through. */
export const PACK: readonly PackSpec[] = [
  { callsign: 'DEREK', name: 'Derek Hale', role: 'leader', gateway: 'field', reportEveryS: 5 },
  { callsign: 'SCOTT', name: 'Scott McCall', role: 'member', gateway: 'osmand', reportEveryS: 10 },
  { callsign: 'ISAAC', name: 'Isaac Lahey', role: 'member', gateway: 'osmand', reportEveryS: 10 },
  { callsign: 'STILES', name: 'Stiles Stilinski', role: 'member', gateway: 'field', reportEveryS: 5 },
  // The OwnTracks app in HTTP mode, user "allison", device "phone".
  {
    callsign: 'ALLISON',
    name: 'Allison Argent',
    role: 'member',
    gateway: 'owntracks',
    reportEveryS: 5,
    device: 'allison-phone',
  },
  // A TAK client when the server runs the Cursor-on-Target gateway, Traccar Client otherwise.
  { callsign: 'LYDIA', name: 'Lydia Martin', role: 'member', gateway: 'cot', reportEveryS: 5 },
];

export interface HaleHouseOptions {
  connection: Connection;
  members: Record<Callsign, MemberCredentials>;
  speed: number;
  headless: boolean;
  /** Real seconds between re-sends of an unacknowledged real alert (the team's `alertResendS`). */
  resendS: number;
  seed?: number;
  write: (line: string) => void;
}

export interface HaleHouseResult {
  ok: boolean;
  steps: StepResult[];
  gateways: Record<Callsign, Gateway>;
  positions: { sent: number; stored: number; lost: number; failed: number };
  /** Real seconds the story took to play. */
  playedS: number;
  /** Story seconds it covered. */
  storyS: number;
}

/**
 * Plays "Training and reality at the old Hale House" against a running Howl, through its gateways,
 * API and live feed only, checking every effect the story expects from what the phones saw.
 */
export async function playHaleHouse(o: HaleHouseOptions): Promise<HaleHouseResult> {
  const t0 = Date.now();
  const world = new World({ speed: o.speed, headless: o.headless });
  const rng = createRng(o.seed ?? 1985);
  const log = new StoryLog(world, o.write);
  const gateways = {} as Record<Callsign, Gateway>;
  const m = {} as Record<Callsign, PackMember>;
  for (const [i, spec] of PACK.entries()) {
    const gateway = spec.gateway === 'cot' && !o.connection.cot ? 'osmand' : spec.gateway;
    gateways[spec.callsign] = gateway;
    m[spec.callsign] = new PackMember(
      o.members[spec.callsign],
      spec.name,
      world,
      forkRng(rng),
      o.connection,
      {
        gateway,
        start: near(HALE_HOUSE, i * 60 + 15, 6 + i * 3),
        reportEveryS: spec.reportEveryS,
      },
    );
  }
  const all = Object.values(m);
  try {
    await Promise.all(all.map((x) => x.feed.waitFor((msg) => msg.type === 'snapshot', 15_000)));
    for (const x of all) world.add(x);
    world.start();
    await playStory({ world, log, m, all, rng, resendS: o.resendS, gateways, speed: o.speed });
  } catch (e) {
    log.check('the story played to the end', false, (e as Error).message);
  } finally {
    world.stop();
    await Promise.all(all.map((x) => x.settled()));
    await checkStreamed(all, log);
    checkOwnTracks(all, log);
    for (const x of all) x.close();
  }
  const positions = { sent: 0, stored: 0, lost: 0, failed: 0 };
  for (const x of all) {
    for (const k of Object.keys(positions) as Array<keyof typeof positions>) positions[k] += x.positions[k];
  }
  const errors = all.flatMap((x) => x.errors.map((e) => `${x.callsign}: ${e}`));
  log.check(
    'every position report was stored',
    positions.failed === 0 && positions.sent === positions.stored,
    `${positions.stored} of ${positions.sent} stored, ${positions.lost} fixes lost to the canopy`,
  );
  if (errors.length > 0) log.check('no client errors', false, errors.slice(0, 5).join('; '));
  return {
    ok: log.ok,
    steps: log.steps,
    gateways,
    positions,
    playedS: (Date.now() - t0) / 1000,
    storyS: world.elapsedS,
  };
}

/** TCP gives a TAK client no answer per event: check that what it wrote reached the other phones. */
async function checkStreamed(all: PackMember[], log: StoryLog): Promise<void> {
  for (const x of all.filter((m) => m.gateway === 'cot')) {
    const viewer = all.find((v) => v !== x);
    if (!viewer) continue;
    const seen = () =>
      viewer.feed.messages.filter((m) => m.type === 'position' && m.position.memberId === x.creds.memberId)
        .length;
    for (let waited = 0; seen() < x.positions.sent && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    log.check(
      `${x.name}'s positions all arrived over Cursor-on-Target`,
      seen() === x.positions.sent,
      `${seen()} of ${x.positions.sent}`,
    );
  }
}

/** An OwnTracks app posts each fix and reads its teammates in the answer: check both ways. */
function checkOwnTracks(all: PackMember[], log: StoryLog): void {
  for (const x of all) {
    const app = x.owntracks;
    if (!app) continue;
    const others = all.filter((v) => v !== x).map((v) => v.callsign);
    const missing = others.filter((cs) => !app.teammates.has(cs));
    log.check(
      `${x.name}'s positions arrive over OwnTracks HTTP and the app gets teammates back`,
      app.sent > 0 && app.stored === app.sent && missing.length === 0 && app.teammateLocations > 0,
      `${app.stored} of ${app.sent} stored (the app ${app.user}/${app.device}); ${app.teammateLocations} teammates' locations ` +
        `received, ${app.teammates.size} of ${others.length} teammates shown` +
        `${missing.length ? ` (not ${missing.join(', ')})` : ''}, ${app.transitions} alerts as transitions`,
    );
  }
}

/** The whole story, act by act; each act checks what the phones must have seen. */
async function playStory(c: StoryContext): Promise<void> {
  let stilesBelievesDrill = true;
  c.m.STILES.acknowledges(() => false);
  c.m.STILES.alertListeners.push((a) => {
    if (stilesBelievesDrill && a.type === 'contact')
      c.log.say(
        `Stiles's phone: "EXERCISE EXERCISE EXERCISE — contact: ${a.count}". Part of the drill, he thinks, and stays hidden.`,
      );
  });
  c.m.DEREK.alertListeners.push((a) => {
    if (a.senderId === null)
      c.log.say(
        `Howl raises ${a.mode === 'real' ? 'a REAL' : 'an EXERCISE'} ${a.type.replace('_', '-')} alert${a.subject ? ` about ${a.subject}` : ''}: ${a.text}`,
      );
  });
  await gather(c);
  const exercise = await startex(c);
  await trackersLoseHim(c);
  await isaacReportsContact(c);
  await derekReachesStiles(c);
  const incident = await escalate(c, exercise);
  stilesBelievesDrill = false;
  const contactId = await converge(c, incident);
  const casualty = await derekIsHurt(c, contactId);
  await rollCall(c);
  await night(c, casualty);
  await closeIncident(c, incident);
}
