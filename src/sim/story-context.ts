import type { RollCallStatus } from '../contract/incidents.ts';
import type { LiveEvent, LiveMessage } from '../contract/live.ts';
import { destination, type Point } from '../domain/geo.ts';
import type { Gateway, PackMember } from './pack-member.ts';
import type { Rng } from './random.ts';
import type { StoryLog } from './story-log.ts';
import { fromHaleHouse } from './terrain.ts';
import type { World } from './world.ts';

export type Callsign = 'DEREK' | 'SCOTT' | 'ISAAC' | 'STILES' | 'ALLISON' | 'LYDIA';

export interface StoryContext {
  world: World;
  log: StoryLog;
  m: Record<Callsign, PackMember>;
  all: PackMember[];
  rng: Rng;
  resendS: number;
  gateways: Record<Callsign, Gateway>;
  speed: number;
}

/** Places of the story, around the Hale House (bearing in degrees, distance in metres). */
export const PLACES = {
  stilesRoute: [
    fromHaleHouse(300, 120),
    fromHaleHouse(328, 220),
    fromHaleHouse(306, 310),
    fromHaleHouse(322, 390),
  ],
  hollow: fromHaleHouse(316, 450),
  trail: [fromHaleHouse(302, 110), fromHaleHouse(326, 190)],
  scottSearch: [fromHaleHouse(290, 240), fromHaleHouse(280, 280)],
  isaacSearch: [fromHaleHouse(336, 250)],
  hostilesSeen: fromHaleHouse(348, 650),
} as const;

/** A spot `distM` from `p`: where people stand around someone, not on top of them. */
export const near = (p: Point, bearing: number, distM: number): Point => destination(p, bearing, distM);

export type EventOf<T extends LiveEvent['type']> = Extract<LiveEvent, { type: T }>;

/** The events of type `type` a member's live feed has received. */
export function eventsSeen<T extends LiveEvent['type']>(x: PackMember, type: T): EventOf<T>[] {
  return x.feed.messages.flatMap((msg: LiveMessage) =>
    msg.type === 'event' && msg.event.type === type ? [msg.event as EventOf<T>] : [],
  );
}

export const everyone = <T extends LiveEvent['type']>(
  c: StoryContext,
  type: T,
  pred: (e: EventOf<T>) => boolean,
): boolean => c.all.every((x) => eventsSeen(x, type).some(pred));

/** Waits for an effect of the server (or of a member's delayed action) in real time, scaled for the story. */
export function settle(c: StoryContext, done: () => boolean, storyS = 0): Promise<boolean> {
  return c.world.untilReal(done, (storyS * 1000) / c.speed + 10_000);
}

export const others = (c: StoryContext, ...not: Callsign[]) =>
  c.all.filter((x) => !not.includes(x.callsign as Callsign));

export function answer(x: PackMember, status: RollCallStatus, memberId?: string): void {
  x.api
    .answerRollCall(status, memberId)
    .catch((e: unknown) => x.errors.push(`roll call: ${(e as Error).message}`));
}
