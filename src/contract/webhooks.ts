import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../domain/webhooks.ts';

export const WebhookEvent = z.enum(WEBHOOK_EVENTS);

export const CreateWebhookBody = z.object({
  url: z
    .string()
    .max(2048)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// address'),
  events: z.array(WebhookEvent).min(1).max(WEBHOOK_EVENTS.length),
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .describe('signs each body (HMAC-SHA256); omit to have one made, shown once'),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const WebhookDelivery = z.object({
  id: z.string(),
  event: WebhookEvent,
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEvent),
  createdAt: z.string(),
  recent: z.array(WebhookDelivery).describe('the latest deliveries, newest first'),
});
export type Webhook = z.infer<typeof Webhook>;

export const CreatedWebhook = Webhook.extend({ secret: z.string().describe('shown once') });
export const WebhookList = z.object({ webhooks: z.array(Webhook) });
export const WebhookParams = z.object({ webhookId: z.string().uuid() });
