import type { Casualty } from '../contract/incidents.ts';
import type { Operation } from '../contract/operations.ts';
import { distanceM } from '../domain/geo.ts';
import type { PackMember } from './pack-member.ts';
import { uniform } from './random.ts';
import {
  answer,
  eventsSeen,
  everyone,
  near,
  others,
  PLACES,
  type StoryContext,
  settle,
} from './story-context.ts';
import { HALE_HOUSE } from './terrain.ts';

// The real incident: from Derek's "REAL WORLD" to the hot wash the next morning.

/** From the walk home at dusk to 06:40 the next morning. */
const NIGHT_S = 12 * 3600 + 50 * 60;

const HOT_WASH = [
  'Hot wash: mock attack at the Hale House, turned real.',
  'What happened: during the runner-and-tracker drill, Isaac saw six hostiles and reported contact; inside the running exercise the report was exercise traffic, and Stiles, evading alone, took it as part of the drill. Derek reached him and escalated; all six acknowledged (Stiles last, after re-sends) and converged. Derek was badly hurt shielding Stiles; three of the six withdrew; all six accounted for; Derek recovered overnight.',
  'Sustain: escalation reached every phone within a second; the roll call was complete within minutes.',
  'Improve: whoever sees hostiles who are not part of the drill escalates at once instead of reporting contact; no runner evades alone after dusk; runners keep their phone on the field page.',
].join('\n');

export async function escalate(c: StoryContext, exercise: Operation): Promise<Operation> {
  const { m, log, world } = c;
  const t0 = Date.now();
  const incident = await m.DEREK.api.escalate(
    'REAL WORLD. Six hostiles in the woods, not ours. This is not practice anymore.',
    m.DEREK.pos,
  );
  log.say('Derek declares REAL WORLD: the exercise is suspended and Howl alerts the whole pack');
  log.check(
    'a real incident opens, escalated from the exercise',
    incident.kind === 'incident' && incident.mode === 'real' && incident.escalatedFrom === exercise.id,
  );
  const escalationOf = (x: PackMember) =>
    [...x.receipts.values()].find(
      (r) => r.alert.type === 'escalation' && r.alert.operationId === incident.id,
    );
  const reached = await settle(c, () => c.all.every((x) => escalationOf(x)));
  const slowest = Math.max(...c.all.map((x) => (escalationOf(x)?.atMs ?? Number.NaN) - t0));
  log.check(
    'the REAL alert reaches every phone',
    reached && c.all.every((x) => escalationOf(x)?.alert.mode === 'real'),
    `the last one ${slowest} ms after Derek pressed`,
  );
  const alert = escalationOf(m.DEREK)?.alert;
  if (!alert) throw new Error('no escalation alert');
  const suspended = await settle(c, () =>
    everyone(c, 'operation.updated', (e) => e.operation.id === exercise.id && e.change === 'suspended'),
  );
  log.check('the exercise is suspended, not lost', suspended);
  const rollCall = await settle(c, () =>
    everyone(
      c,
      'rollcall.updated',
      (e) => e.rollCall.operationId === incident.id && e.rollCall.memberIds.length === 6,
    ),
  );
  log.check('a roll call starts by itself: six to account for', rollCall);

  const five = others(c, 'STILES');
  const acked = await settle(c, () => five.every((x) => x.ackSeconds.has(alert.id)), 10);
  const slowestAck = Math.max(...five.map((x) => x.ackSeconds.get(alert.id) ?? Number.NaN));
  log.say(
    `Derek, Scott, Isaac, Allison and Lydia acknowledge (the slowest after ${slowestAck.toFixed(1)} s) and answer the roll call`,
  );
  log.check('five of six acknowledge; Stiles does not', acked && !m.STILES.ackSeconds.has(alert.id));
  for (const x of five) world.after(uniform(c.rng, 2, 8), () => answer(x, 'ok'));

  const resent = await world.inRealTime(() =>
    world.untilReal(() => (m.STILES.reminders.get(alert.id) ?? 0) >= 1, (c.resendS * 3 + 5) * 1000),
  );
  log.check(
    'Howl sends the alert again to Stiles, who has not acknowledged it',
    resent,
    `every ${c.resendS} s`,
  );
  log.say(
    'The alert comes again on Stiles\'s phone: "REAL — NOT A DRILL". Derek: "This isn\'t the drill." Stiles believes him',
  );
  m.STILES.acknowledges((a) => a.mode === 'real', [3, 6]);
  const stilesAcked = await settle(c, () => m.STILES.ackSeconds.has(alert.id), 6);
  if (stilesAcked) answer(m.STILES, 'ok');
  const acks = (await m.DEREK.api.alerts()).find((a) => a.id === alert.id)?.acknowledgements ?? [];
  const last = [...acks].sort((a, b) => a.time.localeCompare(b.time)).at(-1);
  log.check(
    'Stiles acknowledges, last, after re-sends',
    stilesAcked && acks.length === 6 && last?.callsign === 'STILES',
    `${m.STILES.reminders.get(alert.id) ?? 0} re-send(s); ${(m.STILES.ackSeconds.get(alert.id) ?? Number.NaN).toFixed(1)} s after the first`,
  );
  const firstRollCallDone = () =>
    eventsSeen(m.DEREK, 'rollcall.updated').some(
      (e) => e.rollCall.operationId === incident.id && e.rollCall.answers.length === 6,
    );
  const answered = await settle(c, firstRollCallDone, 10);
  log.check('the first roll call: all six answer', answered);
  return incident;
}

export async function converge(c: StoryContext, incident: Operation): Promise<string> {
  const { m, log, world } = c;
  const hostiles = near(PLACES.hollow, 350, 150);
  const real = await m.ISAAC.api.reportContact({
    count: 6,
    position: hostiles,
    direction: '150 m north of Derek and Stiles',
    text: 'The same six. Real. Closing on the hollow.',
  });
  log.say('Isaac reports the six again, now a REAL contact; the pack converges on Derek and Stiles');
  log.check('the contact is real now', real.mode === 'real');
  const contactOf = () =>
    eventsSeen(m.DEREK, 'contact.updated').find((e) => e.contact.operationId === incident.id)?.contact;
  await settle(c, () => contactOf() !== undefined);
  const contact = contactOf();
  if (!contact) throw new Error('no contact marker for the real contact');
  m.SCOTT.goTo([near(PLACES.hollow, 250, 10)], 'run');
  m.ISAAC.goTo([near(PLACES.hollow, 200, 12)], 'run');
  m.LYDIA.goTo([near(PLACES.hollow, 110, 14)], 'run');
  log.say('Allison takes a crossbow from the house and runs for the hollow');
  m.ALLISON.goTo([near(PLACES.hollow, 170, 5)], 'run');
  await world.until(() => m.ALLISON.arrived(), 900);
  await m.ALLISON.api.updateContact(contact.id, {
    text: 'The same six. Real. Closing on the hollow. Allison has brought Stiles a crossbow.',
  });
  log.say('Allison reaches the hollow and hands Stiles a crossbow');
  const noted = await settle(c, () =>
    everyone(c, 'contact.updated', (e) => e.contact.id === contact.id && e.contact.text.includes('crossbow')),
  );
  log.check('the contact marker says so on every phone', noted);
  await world.until(() => c.all.every((x) => x.arrived()), 900);
  const spread = Math.max(...c.all.map((x) => distanceM(x.pos, m.DEREK.pos)));
  log.check('the pack is together again', spread < 50, `all within ${Math.round(spread)} m of Derek`);
  return contact.id;
}

export async function derekIsHurt(c: StoryContext, contactId: string): Promise<Casualty> {
  const { m, log, world } = c;
  await world.sleep(15);
  const casualty = await m.STILES.api.addCasualty(
    m.DEREK.creds.memberId,
    'red',
    'Deep lacerations to the back and left arm, shielding Stiles; heavy bleeding',
  );
  log.say('The six close in. Derek takes the blow meant for Stiles: badly hurt, casualty RED');
  const red = await settle(c, () =>
    everyone(c, 'casualty.updated', (e) => e.casualty.id === casualty.id && e.casualty.triage === 'red'),
  );
  log.check('Derek shows as a red casualty on every phone', red);
  await world.sleep(20);
  await m.ALLISON.api.updateCasualty(casualty.id, {
    care: 'Pressure dressings on back and arm; bleeding controlled; conscious, breathing fast.',
  });
  await world.sleep(25);
  await m.ISAAC.api.updateContact(contactId, {
    withdrawn: 3,
    position: near(PLACES.hollow, 355, 400),
    text: 'Three of the six withdrawing north over the ridge; three unseen.',
  });
  log.say('Stiles and Allison hold them off; three of the six withdraw north over the ridge');
  const withdrawn = await settle(c, () =>
    everyone(c, 'contact.updated', (e) => e.contact.id === contactId && e.contact.withdrawn === 3),
  );
  log.check('the contact marker shows three of six withdrawn', withdrawn);
  return casualty;
}

export async function rollCall(c: StoryContext): Promise<void> {
  const { m, log, world, rng } = c;
  await world.sleep(15);
  const rc = await m.DEREK.api.startRollCall();
  log.say('Derek, bleeding, calls the roll');
  for (const x of others(c, 'DEREK')) world.after(uniform(rng, 3, 15), () => answer(x, 'ok'));
  world.after(uniform(rng, 5, 10), () => answer(m.ALLISON, 'injured', m.DEREK.creds.memberId));
  const latest = () =>
    eventsSeen(m.DEREK, 'rollcall.updated')
      .filter((e) => e.rollCall.id === rc.id)
      .at(-1)?.rollCall;
  const done = await settle(c, () => latest()?.answers.length === 6, 20);
  const answers = latest()?.answers ?? [];
  const injured = answers.filter((a) => a.status === 'injured').length;
  log.check(
    'roll call: all six accounted for',
    done && answers.every((a) => a.status !== 'missing'),
    `${answers.length} of ${rc.memberIds.length}: ${answers.length - injured} ok, ${injured} injured`,
  );
  log.say('All six accounted for: five ok, Derek injured');
}

export async function night(c: StoryContext, casualty: Casualty): Promise<void> {
  const { m, log, world, rng } = c;
  log.say('The pack carries Derek back to the Hale House');
  for (const x of c.all) x.goTo([near(HALE_HOUSE, uniform(rng, 0, 360), uniform(rng, 3, 12))], 'walk');
  await world.fastForward(15 * 60, 15);
  for (const x of c.all) x.stopHere();
  log.say('Night. Lydia and Allison keep watch; Derek sleeps by the stove');
  await world.fastForward(NIGHT_S - 15 * 60, 10);
  log.say("06:40, next morning: Derek's wounds have closed overnight");
  await m.ALLISON.api.updateCasualty(casualty.id, {
    recovered: true,
    care: 'Next morning: the wounds have closed overnight; Derek walks unaided.',
  });
  const recovered = await settle(c, () =>
    everyone(c, 'casualty.updated', (e) => e.casualty.id === casualty.id && e.casualty.recoveredAt !== null),
  );
  log.check('Derek is recovered on every phone', recovered);
}

export async function closeIncident(c: StoryContext, incident: Operation): Promise<void> {
  const { m, log } = c;
  const closed = await m.DEREK.api.close(incident.id, HOT_WASH);
  log.say('Derek closes the incident with a hot wash');
  const seen = await settle(c, () =>
    everyone(c, 'operation.updated', (e) => e.operation.id === incident.id && e.change === 'closed'),
  );
  log.check('the incident is closed on every phone', closed.state === 'closed' && seen);
  const ringing = (await m.DEREK.api.alerts()).filter((a) => a.state === 'active');
  log.check(
    'no alert is left ringing',
    ringing.length === 0,
    ringing.map((a) => a.type).join(', ') || undefined,
  );
}
