import { z } from 'zod';
import { ALERT_STATES, ALERT_TYPES } from '../domain/vocabulary.ts';
import { LatLon, Mode } from './common.ts';

export const AlertType = z.enum(ALERT_TYPES);
export type AlertType = z.infer<typeof AlertType>;

export const AlertState = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertState>;

export const Acknowledgement = z.object({ memberId: z.string(), callsign: z.string(), time: z.string() });

export const Alert = z.object({
  id: z.string(),
  type: AlertType,
  mode: Mode,
  state: AlertState,
  operationId: z.string().nullable(),
  senderId: z.string().nullable().describe('member who raised it; null when Howl raised it'),
  sender: z.string().describe('callsign of the sender, or "HOWL"'),
  subjectId: z.string().nullable().describe('member the alert is about (separated, silent, missing)'),
  subject: z.string().nullable(),
  time: z.string(),
  position: LatLon.nullable(),
  count: z.number().int().nullable().describe('contact: hostiles seen'),
  direction: z.string().nullable(),
  text: z.string(),
  acknowledgements: z.array(Acknowledgement),
  cancelledBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.object({ alerts: z.array(Alert).describe('active first, newest first') });

export const RaiseSosBody = z.object({
  position: LatLon.optional(),
  text: z.string().trim().max(2000).default(''),
});

export const ContactReportBody = z.object({
  count: z.number().int().min(1).max(10_000),
  position: LatLon.optional(),
  direction: z.string().trim().max(200).optional().describe('e.g. "north-east, 200 m"'),
  text: z.string().trim().max(2000).default(''),
});

export const CancelAlertBody = z.object({
  reason: z.string().trim().min(1).max(500).default('cancelled — false alarm'),
});

export const AcknowledgeAlertsBody = z.object({
  alertIds: z
    .array(z.string().uuid())
    .min(1)
    .max(500)
    .describe('the alerts to acknowledge at once, e.g. a group ("4 members separated from the team")'),
});
export type AcknowledgeAlertsBody = z.infer<typeof AcknowledgeAlertsBody>;

export const AcknowledgedAlerts = z.object({
  alerts: z
    .array(Alert)
    .describe('the alerts as they are now, in the order asked; one that ended meanwhile is not acknowledged'),
});

export const AlertParams = z.object({ alertId: z.string().uuid() });
