import type { Alert } from '../contract/alerts.ts';
import type { Operation } from '../contract/operations.ts';
import { bearingDeg, compassPoint, distanceM } from '../domain/geo.ts';
import type { Gateway, PackMember } from './pack-member.ts';
import { uniform } from './random.ts';
import { type Callsign, everyone, near, others, PLACES, type StoryContext, settle } from './story-context.ts';
import { fromHaleHouse, HALE_HOUSE, ring } from './terrain.ts';

// The drill: from dusk at the Hale House to Derek reaching Stiles, all of it exercise traffic.

export async function gather(c: StoryContext): Promise<void> {
  const { m, log, world, rng } = c;
  log.say(
    'Dusk at the Hale House, a burnt-out cabin in Forest Park, Portland, Oregon. The pack gathers: Derek, Scott, Isaac, Stiles, Allison, Lydia.',
  );
  const by = (g: Gateway) => c.all.filter((x) => c.gateways[x.callsign as Callsign] === g).map((x) => x.name);
  log.say(
    `Their phones report through the field page (${by('field').join(', ')}), Traccar Client (${by('osmand').join(', ')})${by('cot').length ? `, ATAK (${by('cot').join(', ')})` : ''}${by('owntracks').length ? `, OwnTracks over HTTP (${by('owntracks').join(', ')})` : ''}; everyone has the field page open for alerts.`,
  );
  await m.DEREK.api.updateTeam({ base: HALE_HOUSE, alertResendS: c.resendS });
  for (const x of c.all) x.goTo([near(HALE_HOUSE, uniform(rng, 0, 360), uniform(rng, 5, 25))], 'walk');
  await world.sleep(10);
  const sourceSeen = (x: PackMember) =>
    c.all.some(
      (v) =>
        v !== x &&
        v.feed.messages.some(
          (msg) =>
            msg.type === 'position' &&
            msg.position.memberId === x.creds.memberId &&
            msg.position.source === x.gateway,
        ),
    );
  const onMap = await settle(c, () => c.all.every(sourceSeen), 15);
  log.check(
    'all six phones report, each through its own gateway, and show on the map',
    onMap,
    c.all.map((x) => `${x.callsign} ${x.gateway}${sourceSeen(x) ? '' : ' NOT SEEN'}`).join(', '),
  );
}

export async function startex(c: StoryContext): Promise<Operation> {
  const { m, log } = c;
  const drill = await m.DEREK.api.createDrill({
    name: 'Mock attack at the Hale House',
    scenario:
      'Dusk mock attack. Stiles is the runner and evades alone; Scott and Isaac track him; Allison plays the opposing force; Lydia observes; Derek controls.',
    area: ring(HALE_HOUSE, 1200),
    runnerId: m.STILES.creds.memberId,
    trackerIds: [m.SCOTT.creds.memberId, m.ISAAC.creds.memberId],
    others: [
      { memberId: m.ALLISON.creds.memberId, role: 'opposing_force' },
      { memberId: m.LYDIA.creds.memberId, role: 'observer' },
      { memberId: m.DEREK.creds.memberId, role: 'controller' },
    ],
    conditions: {
      trailAgeMin: 0.5,
      trailType: 'training',
      terrain: 'forest floor, Wildwood Trail',
      weather: 'dry, overcast',
      scentArticle: 'none: sight and sign tracking',
    },
    injects: [
      {
        offsetS: Math.round(30 / c.speed),
        message: 'The runner has had his 30-second head start. Trackers: go.',
      },
    ],
  });
  const exercise = drill.operation;
  await m.DEREK.api.act(exercise.id, 'start');
  log.say(
    'Derek plans "Mock attack at the Hale House" and calls STARTEX: Stiles runs; Scott and Isaac will track him',
  );
  m.STILES.goTo([...PLACES.stilesRoute, PLACES.hollow], 'run');
  const started = await settle(c, () =>
    everyone(
      c,
      'operation.updated',
      (e) => e.operation.id === exercise.id && e.change === 'started' && e.mode === 'exercise',
    ),
  );
  log.check('every phone switches to EXERCISE', started);
  return exercise;
}

export async function trackersLoseHim(c: StoryContext): Promise<void> {
  const { m, log, world } = c;
  await world.sleep(30);
  const inject = await settle(c, () => everyone(c, 'inject.delivered', (e) => e.mode === 'exercise'), 30);
  log.check('the inject reaches every phone as exercise traffic', inject);
  log.say("Scott and Isaac set off on Stiles's trail");
  m.SCOTT.goTo(PLACES.trail, 'walk');
  m.ISAAC.goTo(
    PLACES.trail.map((p) => near(p, 90, 5)),
    'walk',
  );
  // The runner hides and the trackers lose him in whichever order the woods decide.
  await Promise.all([
    (async () => {
      await world.until(() => m.STILES.arrived(), 900);
      const d = Math.round(distanceM(HALE_HOUSE, m.STILES.pos));
      log.say(
        `Stiles goes to ground in a hollow ${d} m ${compassPoint(bearingDeg(HALE_HOUSE, m.STILES.pos))} of the house`,
      );
    })(),
    (async () => {
      await world.until(() => m.SCOTT.arrived() && m.ISAAC.arrived(), 900);
      log.say('Scott and Isaac lose the trail at the creek and split up to search');
      m.SCOTT.goTo(PLACES.scottSearch, 'walk');
      m.ISAAC.goTo(PLACES.isaacSearch, 'walk');
    })(),
  ]);
  await world.until(() => m.ISAAC.arrived(), 600);
}

export async function isaacReportsContact(c: StoryContext): Promise<void> {
  const { m, log, world } = c;
  log.say(
    'Isaac glimpses six people moving in the trees to the north — not the pack — and runs back to the house',
  );
  m.ISAAC.goTo([near(HALE_HOUSE, 200, 4)], 'run');
  await world.until(() => m.ISAAC.arrived(), 600);
  const alert = await m.ISAAC.api.reportContact({
    count: 6,
    position: PLACES.hostilesSeen,
    direction: `${compassPoint(bearingDeg(HALE_HOUSE, PLACES.hostilesSeen))} of the house, about 650 m, past the creek`,
    text: 'Six people in the woods, not ours.',
  });
  log.say('Isaac reports contact: six hostiles');
  log.check('inside the running exercise, the contact report is exercise traffic', alert.mode === 'exercise');
  const reached = await settle(c, () => c.all.every((x) => x.received(alert.id)));
  log.check('the contact alert reaches all six phones, marked EXERCISE', reached);
  await contactAcks(c, alert);
}

async function contactAcks(c: StoryContext, alert: Alert): Promise<void> {
  const five = others(c, 'STILES');
  const acked = await settle(c, () => five.every((x) => x.ackSeconds.has(alert.id)), 10);
  const acks = (await c.m.DEREK.api.alerts()).find((a) => a.id === alert.id)?.acknowledgements ?? [];
  c.log.check(
    'the pack acknowledges the contact; Stiles does not',
    acked && acks.length === 5 && !acks.some((a) => a.callsign === 'STILES'),
    `acknowledged by ${acks.map((a) => a.callsign).join(', ')}`,
  );
}

export async function derekReachesStiles(c: StoryContext): Promise<void> {
  const { m, log, world } = c;
  log.say('Derek runs to find Stiles');
  m.DEREK.goTo([fromHaleHouse(310, 260), near(PLACES.hollow, 140, 3)], 'run');
  await world.until(() => m.DEREK.arrived(), 900);
  const apart = distanceM(m.DEREK.pos, m.STILES.pos);
  log.say('Derek reaches Stiles. Stiles: "You don\'t have to act. It\'s the drill."');
  log.check('Derek reaches Stiles', apart < 20, `${Math.round(apart)} m apart`);
}
