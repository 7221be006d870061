import type { Alert } from '../../contract/alerts.ts';
import { HowlError } from '../../contract/errors.ts';
import { concerns } from '../../domain/triage.ts';
import type { MemberAuth } from '../../services/core/auth.ts';
import { alertTransition, cardMessage, locationMessage, type OwnTracksOut } from './build.ts';
import { deviceIdOf, memberTopic } from './identity.ts';
import { ingest } from './ingest.ts';
import type { OwnTracksLogger } from './logger.ts';
import { parseOwnTracks } from './parse.ts';
import type { RosterMember } from './roster.ts';
import type { OwnTracksServices } from './services.ts';
import { type TeamView, TeamViews } from './team-view.ts';

/** One POST as the apps send it in HTTP mode. */
export interface OwnTracksHttpRequest {
  authorization?: string;
  /** `X-Limit-U` (or `?u=`): the app's user name. */
  user?: string;
  /** `X-Limit-D` (or `?d=`): the app's device name. */
  device?: string;
  body?: Uint8Array | string;
}

/** The made-up base topic of teammates in HTTP answers (the apps file them by `tid` anyway). */
const HTTP_BASE = 'owntracks';

const unauthorized = (message: string) => new HowlError(401, 'unauthorized', message);
const NO_CREDENTIALS =
  'authorization: send HTTP Basic credentials (user: your callsign or device id, password: your Howl token)';
const WRONG_CREDENTIALS = 'authorization: wrong user or password';

/**
 * OwnTracks in HTTP mode (booklet: tech/http): the app POSTs each message with HTTP Basic auth and
 * `X-Limit-U`/`X-Limit-D` (its user and device names). The password is the member's Howl token, as
 * `howl member add` prints it; the user is the member's callsign, one of their device ids, or the USER of
 * their device `USER-DEVICE` when `X-Limit-D` is its DEVICE (the app's own user name, as the app sends it). A location is stored under the member's device `USER-DEVICE` (or the
 * Basic user, when that is a device id of theirs), else as the member's own report. The answer, which the
 * apps read as messages from friends, carries every other member's card and latest location, and each
 * alert once as it is raised and once as it ends (see build.ts).
 */
export class OwnTracksHttp {
  /** Per member: the alerts they were told of and not yet told the end of (this process only). */
  private readonly told = new Map<string, Map<string, Alert>>();
  private readonly views: TeamViews;

  constructor(
    private readonly services: OwnTracksServices,
    private readonly log: OwnTracksLogger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.views = new TeamViews(services);
  }

  close(): void {
    this.views.close();
  }

  async handle(req: OwnTracksHttpRequest): Promise<OwnTracksOut[]> {
    const { auth, view, me, user } = await this.authenticate(req);
    const parsed = parseOwnTracks(req.body ?? '');
    if (!parsed.ok) throw new HowlError(400, 'invalid_owntracks', parsed.reason, { field: parsed.field });
    const message = parsed.message;
    const topic = message.type === 'location' ? message.location.topic : undefined;
    const deviceId = this.deviceOf(me, [
      user,
      req.user && req.device ? deviceIdOf(req.user, req.device) : undefined,
      req.device ? deviceIdOf(user, req.device) : undefined,
      topicDevice(topic),
    ]);
    await ingest(
      message,
      { memberId: me.id, teamId: auth.teamId, deviceId, via: 'http' },
      {
        services: this.services,
        store: (r) =>
          deviceId
            ? this.services.positions.reportFromDevice({ ...r, deviceId })
            : this.services.positions.reportFromMember(auth, r),
        log: this.log,
      },
    );
    return this.answer(auth, view, me);
  }

  private async authenticate(req: OwnTracksHttpRequest) {
    const basic = req.authorization?.match(/^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i)?.[1];
    if (!basic) throw unauthorized(NO_CREDENTIALS);
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized(NO_CREDENTIALS);
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const auth = password ? await this.services.tokens.authenticate(password, ['device']) : undefined;
    if (!auth) throw unauthorized(WRONG_CREDENTIALS);
    // The user names the member the token belongs to: a token is not a key to anyone else's name.
    const named = (me: RosterMember | undefined): me is RosterMember =>
      me !== undefined &&
      ((req.device !== undefined && me.devices.includes(deviceIdOf(user, req.device))) ||
        [me.callsign, ...me.devices].some((n) => n === user || n === user.toUpperCase()));
    let view = await this.views.get(auth.teamId);
    let me = view.roster.get(auth.memberId);
    if (!named(me)) {
      // A member or device added since the team was read: read it again before refusing.
      this.views.forget(auth.teamId);
      view = await this.views.get(auth.teamId);
      me = view.roster.get(auth.memberId);
    }
    if (!named(me)) throw unauthorized(WRONG_CREDENTIALS);
    return { auth, view, me, user };
  }

  private deviceOf(me: RosterMember, candidates: ReadonlyArray<string | undefined>): string | undefined {
    return candidates.find((c): c is string => c !== undefined && me.devices.includes(c));
  }

  private async answer(auth: MemberAuth, view: TeamView, me: RosterMember): Promise<OwnTracksOut[]> {
    const { roster, latest } = view;
    const out: OwnTracksOut[] = [];
    for (const p of latest.values()) {
      const m = roster.get(p.memberId);
      if (!m || m.id === me.id) continue;
      const topic = memberTopic(HTTP_BASE, m.callsign);
      out.push(cardMessage(m.callsign, m.tid, topic), locationMessage(p, m.tid, topic));
    }
    out.push(...(await this.alerts(auth, view, me)));
    return out;
  }

  /** Alerts raised since the member's last POST (enter), and those that ended since (leave). */
  private async alerts(auth: MemberAuth, { roster, latest, active: all }: TeamView, me: RosterMember) {
    // Not their own alarm, and a condition (separated, silent…) only to leaders and the member it is about.
    const viewer = { memberId: me.id, role: auth.role };
    const active = all.filter((a) => a.senderId !== me.id && concerns(a, viewer));
    const told = this.told.get(me.id) ?? new Map<string, Alert>();
    this.told.set(me.id, told);
    const now = this.now();
    const whereOf = (a: Alert) => {
      const who = a.subjectId ?? a.senderId;
      const p = who ? latest.get(who) : undefined;
      return a.position ?? (p ? { lat: p.lat, lon: p.lon } : undefined);
    };
    const out: OwnTracksOut[] = [];
    const activeIds = new Set(active.map((a) => a.id));
    const ended = [...told.keys()].filter((id) => !activeIds.has(id));
    if (ended.length > 0) {
      const all = new Map((await this.services.alerts.list(auth, auth.teamId)).map((a) => [a.id, a]));
      for (const id of ended) {
        const a = all.get(id) ?? told.get(id);
        told.delete(id);
        if (!a) continue;
        const change = a.state === 'cancelled' ? 'cancelled' : 'resolved';
        out.push(alertTransition(a, change, { tid: roster.tidOf(a.senderId), where: whereOf(a), now }));
      }
    }
    for (const a of active) {
      if (told.has(a.id)) continue;
      told.set(a.id, a);
      out.push(alertTransition(a, 'raised', { tid: roster.tidOf(a.senderId), where: whereOf(a), now }));
    }
    return out;
  }
}

/** The device of an iOS app's `topic` field (`owntracks/[<team>/]jane/phone` → `jane-phone`). */
function topicDevice(topic: string | undefined): string | undefined {
  const levels = topic?.split('/') ?? [];
  if (levels.length < 3 || levels.length > 4) return undefined;
  const [user, device] = levels.slice(-2);
  return user && device ? deviceIdOf(user, device) : undefined;
}
