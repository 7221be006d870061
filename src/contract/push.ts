import { z } from 'zod';

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+=*$/, 'base64url');

/** A browser's PushSubscription as `subscription.toJSON()` gives it. */
export const PushSubscriptionBody = z.object({
  endpoint: z.string().max(2048).url().describe("the browser's push service address"),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: Base64Url.min(80).max(100).describe('the browser’s P-256 public key'),
    auth: Base64Url.min(16).max(32).describe('the 16-byte authentication secret'),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushUnsubscribeBody = z.object({ endpoint: z.string().max(2048).url() });

export const VapidPublicKey = z.object({
  publicKey: z.string().describe('applicationServerKey for pushManager.subscribe (base64url)'),
});

export const PushSubscribed = z.object({ id: z.string(), createdAt: z.string() });

export const PushStatusList = z.object({
  members: z.array(
    z.object({
      memberId: z.string(),
      subscriptions: z.number().int().describe('browsers with push (installed apps, open tabs)'),
      lastDeliveredAt: z.string().nullable().describe('when a push service last took a push for them'),
      lastError: z.string().nullable(),
    }),
  ),
});
export type PushStatusList = z.infer<typeof PushStatusList>;
