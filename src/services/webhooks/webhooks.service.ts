import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notFound } from '../../contract/errors.ts';
import type { LiveMessage } from '../../contract/live.ts';
import type { CreateWebhookBody, Webhook } from '../../contract/webhooks.ts';
import {
  alertWebhookBody,
  MAX_ATTEMPTS,
  retryDelayMs,
  rollCallWebhookBody,
  type WebhookEvent,
} from '../../domain/webhooks.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';
import {
  type DeliveryRow,
  deleteWebhook,
  dueDeliveries,
  getWebhook,
  insertDeliveries,
  insertWebhook,
  recentDeliveries,
  settleDelivery,
  teamWebhooks,
  type WebhookRow,
} from '../../store/webhooks.repo.ts';
import { type Auth, requireLeader } from '../core/auth.ts';
import { newSecret } from '../core/secrets.ts';

const TIMEOUT_MS = 10_000;
const BATCH = 20;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** `X-Howl-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`. */
export function webhookSignature(secret: string, body: string, unixS: number): string {
  const mac = createHmac('sha256', secret).update(`${unixS}.${body}`).digest('hex');
  return `t=${unixS},v1=${mac}`;
}

/**
 * A team's outbound webhooks, for whatever is not a phone app (an SMS gateway, a pager, a chat): each alert,
 * callout and roll call the webhook asked for is POSTed as JSON, signed, and retried with backoff until the
 * receiver answers 2xx (or MAX_ATTEMPTS). Deliveries are rows, so a restart or another node carries on.
 */
export class WebhooksService {
  private pumping: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(auth: Auth, teamId: string): Promise<Webhook[]> {
    requireLeader(auth, teamId);
    return Promise.all((await teamWebhooks(this.db, teamId)).map((w) => this.toWebhook(w)));
  }

  async create(auth: Auth, teamId: string, body: CreateWebhookBody): Promise<Webhook & { secret: string }> {
    requireLeader(auth, teamId);
    const row = await insertWebhook(this.db, {
      id: randomUUID(),
      team_id: teamId,
      url: body.url,
      events: [...new Set(body.events)].join(','),
      secret: body.secret ?? newSecret('whsec'),
      created_by: auth.kind === 'member' ? auth.memberId : null,
      created_at: this.now(),
    });
    return { ...(await this.toWebhook(row)), secret: row.secret };
  }

  async remove(auth: Auth, teamId: string, id: string): Promise<void> {
    requireLeader(auth, teamId);
    const w = await getWebhook(this.db, id);
    if (!w || w.team_id !== teamId) throw notFound('webhook');
    await deleteWebhook(this.db, id);
  }

  /** What the live bus carries, seen from webhooks: alerts raised and new roll calls. */
  onLive(teamId: string, msg: LiveMessage): void {
    if (msg.type !== 'event') return;
    const e = msg.event;
    const wanted =
      e.type === 'alert.updated' && e.change === 'raised'
        ? (team: { id: string; name: string }) => alertWebhookBody(e.alert, team)
        : e.type === 'rollcall.updated' && e.rollCall.answers.length === 0
          ? (team: { id: string; name: string }) => rollCallWebhookBody({ ...e.rollCall, mode: e.mode }, team)
          : null;
    if (!wanted) return;
    void this.enqueue(teamId, wanted)
      .then(() => this.pump())
      .catch(() => undefined);
  }

  /** Sends what is due; the server calls it every couple of seconds (and at once after an event). */
  pump(): Promise<void> {
    if (this.pumping) {
      // Asked again while sending: what was enqueued meanwhile goes in the next round, not in two seconds.
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.sendDue();
      } while (this.again);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async enqueue(
    teamId: string,
    make: (team: { id: string; name: string }) => { event: WebhookEvent; body: Record<string, unknown> },
  ): Promise<void> {
    const hooks = await teamWebhooks(this.db, teamId);
    if (hooks.length === 0) return;
    const team = await getTeam(this.db, teamId);
    if (!team) return;
    const { event, body } = make({ id: team.id, name: team.name });
    const now = this.now();
    await insertDeliveries(
      this.db,
      hooks
        .filter((w) => w.events.split(',').includes(event))
        .map((w) => {
          const id = randomUUID();
          return {
            id,
            webhook_id: w.id,
            team_id: teamId,
            event,
            body: JSON.stringify({ ...body, deliveryId: id, sentAt: now.toISOString() }),
            state: 'pending' as const,
            next_at: now,
            created_at: now,
          };
        }),
    );
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const due = await dueDeliveries(this.db, this.now(), BATCH);
      if (due.length === 0) return;
      await Promise.all(due.map((d) => this.deliver(d)));
      if (due.length < BATCH) return;
    }
  }

  private async deliver(d: DeliveryRow & { url: string; secret: string }): Promise<void> {
    const unixS = Math.floor(this.now().getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Howl-Webhook/1',
          'x-howl-event': d.event,
          'x-howl-delivery': d.id,
          'x-howl-signature': webhookSignature(d.secret, d.body, unixS),
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? 'timed out' : String((err as Error).message ?? err);
    }
    const now = this.now();
    const attempts = d.attempts + 1;
    if (error === null) {
      await settleDelivery(this.db, d, {
        state: 'delivered',
        last_status: status,
        last_error: null,
        delivered_at: now,
      });
      return;
    }
    await settleDelivery(this.db, d, {
      state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
      next_at: new Date(now.getTime() + retryDelayMs(attempts)),
      last_status: status,
      last_error: error.slice(0, 500),
    });
  }

  private async toWebhook(w: WebhookRow): Promise<Webhook> {
    const recent = await recentDeliveries(this.db, w.id, 10);
    return {
      id: w.id,
      url: w.url,
      events: w.events.split(',') as Webhook['events'],
      createdAt: iso(w.created_at) ?? '',
      recent: recent.map((d) => ({
        id: d.id,
        event: d.event as WebhookEvent,
        state: d.state,
        attempts: d.attempts,
        lastStatus: d.last_status,
        lastError: d.last_error,
        createdAt: iso(d.created_at) ?? '',
        deliveredAt: iso(d.delivered_at),
      })),
    };
  }
}
