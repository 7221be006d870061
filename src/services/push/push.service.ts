import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:https';
import type { Kysely } from 'kysely';
import type { Alert } from '../../contract/alerts.ts';
import { badRequest, HowlError } from '../../contract/errors.ts';
import type { LiveMessage } from '../../contract/live.ts';
import type { PushStatusList, PushSubscriptionBody } from '../../contract/push.ts';
import { alertPush, type PushMessage, pushEndpointAllowed, rollCallPush } from '../../domain/push.ts';
import { audience } from '../../domain/triage.ts';
import { listMembers } from '../../store/members.repo.ts';
import {
  deleteSubscription,
  deleteSubscriptionById,
  markDelivery,
  type PushSubscriptionRow,
  subscriptionsOf,
  teamSubscriptions,
  upsertSubscription,
  vapidKeys,
} from '../../store/push.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireSelf } from '../core/auth.ts';

export interface PushOptions {
  /** Origins of push services besides the browsers' own (a self-hosted one); read at each subscription. */
  allowedOrigins: readonly string[];
  /** The VAPID `sub`: an https: URL or mailto: address the push services may contact. */
  subject: () => string;
  /** TLS for the push services (default: Node's, which trusts NODE_EXTRA_CA_CERTS too). */
  agent?: () => Agent | undefined;
  /** Where failures to deliver are told. */
  log?: (msg: string, extra: object) => void;
}

/** The default VAPID subject: the server's HTTPS address (push services accept https: or mailto:). */
export function pushSubject(urls: { httpsUrl: string | null; publicUrl: string }): string {
  const url = urls.httpsUrl ?? urls.publicUrl;
  return url.startsWith('https:') ? url : 'mailto:howl@invalid.example';
}

/** At most this many pushes in flight at once (a team of hundreds with a phone or two each). */
const CONCURRENCY = 16;

/**
 * Web Push (RFC 8030, 8291, 8292): members' browsers subscribe; every alert about their team, each re-send of
 * an unacknowledged real alert and each new roll call is pushed to the members it is for, so that a phone in
 * a pocket with the app closed still howls. Subscriptions a push service says are gone (404, 410) are deleted.
 */
export class PushService {
  private keys: Promise<{ publicKey: string; privateKey: string }> | null = null;
  /** Sends in flight, so that a test or a shutdown can wait for them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: PushOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The VAPID key pair, made once and kept in the database. */
  vapid(): Promise<{ publicKey: string; privateKey: string }> {
    this.keys ??= vapidKeys(this.db, async () => (await webPush()).generateVAPIDKeys(), this.now()).catch(
      (err) => {
        this.keys = null;
        throw err;
      },
    );
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapid()).publicKey;
  }

  async subscribe(
    auth: Auth,
    body: PushSubscriptionBody,
    userAgent: string | null,
  ): Promise<{ id: string; createdAt: string }> {
    const me = requireSelf(auth);
    if (!pushEndpointAllowed(body.endpoint, this.options.allowedOrigins))
      throw badRequest(
        'endpoint',
        'not a known push service (FCM, Mozilla, Apple, Windows); a self-hosted one is added with HOWL_PUSH_ALLOWED_ORIGINS',
      );
    const row = await upsertSubscription(this.db, {
      id: randomUUID(),
      team_id: me.teamId,
      member_id: me.memberId,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: this.now(),
    });
    return { id: row.id, createdAt: new Date(row.created_at).toISOString() };
  }

  async unsubscribe(auth: Auth, endpoint: string): Promise<void> {
    const me = requireSelf(auth);
    if (!(await deleteSubscription(this.db, me.memberId, endpoint)))
      throw new HowlError(404, 'not_found', 'endpoint: no such subscription of yours', { field: 'endpoint' });
  }

  /** Per member: how many browsers take pushes, and when one was last delivered (leaders). */
  async status(auth: Auth, teamId: string): Promise<PushStatusList> {
    requireLeader(auth, teamId);
    const byMember = new Map<string, PushSubscriptionRow[]>();
    for (const s of await teamSubscriptions(this.db, teamId))
      byMember.set(s.member_id, [...(byMember.get(s.member_id) ?? []), s]);
    const latest = (xs: (Date | string | null)[]) =>
      xs.reduce<number | null>((a, x) => (x ? Math.max(a ?? 0, new Date(x).getTime()) : a), null);
    return {
      members: [...byMember].map(([memberId, subs]) => {
        const delivered = latest(subs.map((s) => s.last_success_at));
        const failed = latest(subs.map((s) => s.last_failure_at));
        const lastError =
          failed !== null && (delivered === null || failed > delivered)
            ? (subs.find((s) => s.last_failure_at && new Date(s.last_failure_at).getTime() === failed)
                ?.last_error ?? null)
            : null;
        return {
          memberId,
          subscriptions: subs.length,
          lastDeliveredAt: delivered === null ? null : new Date(delivered).toISOString(),
          lastError,
        };
      }),
    };
  }

  /** What the live bus carries, seen from push: alerts raised, their re-sends, and new roll calls. */
  onLive(teamId: string, msg: LiveMessage): void {
    // Positions (the bulk of the traffic) are never pushed: nothing is done for them.
    if (msg.type !== 'event' && msg.type !== 'alert.reminder') return;
    const work = this.pushFor(teamId, msg).catch((err) =>
      this.options.log?.('push: failed', { err: String(err), teamId }),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves once every push started so far has been handed to its push service (or failed). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async pushFor(teamId: string, msg: LiveMessage): Promise<void> {
    if (msg.type === 'alert.reminder') {
      await this.send(msg.memberIds, alertPush(msg.alert, true));
      return;
    }
    if (msg.type !== 'event') return;
    const e = msg.event;
    if (e.type === 'alert.updated' && e.change === 'raised') {
      await this.send(await this.audienceOf(teamId, e.alert), alertPush(e.alert, false));
    } else if (e.type === 'rollcall.updated' && e.rollCall.answers.length === 0) {
      await this.send(e.rollCall.memberIds, rollCallPush({ id: e.rollCall.id, mode: e.mode }));
    }
  }

  /** The members an alert is for (conditions: leaders and the member concerned), not its sender. */
  private async audienceOf(teamId: string, alert: Alert): Promise<string[]> {
    const members = await listMembers(this.db, teamId);
    return audience(alert, members).filter((id) => id !== alert.senderId);
  }

  private async send(memberIds: readonly string[], message: PushMessage): Promise<void> {
    const subs = await subscriptionsOf(this.db, memberIds);
    if (subs.length === 0) return;
    const keys = await this.vapid();
    const payload = JSON.stringify(message);
    const queue = [...subs];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await this.deliver(s, payload, message, keys);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, subs.length) }, worker));
  }

  private async deliver(
    s: PushSubscriptionRow,
    payload: string,
    message: PushMessage,
    keys: { publicKey: string; privateKey: string },
  ): Promise<void> {
    try {
      await (await webPush()).sendNotification(
        { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
        payload,
        {
          vapidDetails: { subject: this.options.subject(), ...keys },
          TTL: message.ttlS,
          urgency: message.urgency,
          topic: undefined,
          contentEncoding: 'aes128gcm',
          timeout: 10_000,
          ...(this.options.agent?.() ? { agent: this.options.agent() } : {}),
        },
      );
      await markDelivery(this.db, s.id, this.now(), null);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) {
        await deleteSubscriptionById(this.db, s.id);
        return;
      }
      const why = status ? `HTTP ${status}` : String((err as Error).message ?? err);
      await markDelivery(this.db, s.id, this.now(), why);
      this.options.log?.('push: not delivered', { subscription: s.id, member: s.member_id, why });
    }
  }
}

/** The Web Push library, loaded when a team first uses push, not at start. */
async function webPush() {
  return (await import('web-push')).default;
}
