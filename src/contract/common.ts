import { z } from 'zod';
import { MODES, ROLES } from '../domain/vocabulary.ts';

/** `exercise` only while an exercise runs; everything else is `real`. */
export const Mode = z.enum(MODES).describe('exercise or real: the two never look alike');
export type Mode = z.infer<typeof Mode>;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Id = z.string().uuid();

export const Callsign = z
  .string()
  .trim()
  .min(1)
  .max(24)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'letters, digits, space, _ . - only')
  .transform((s) => s.toUpperCase());

export const DeviceId = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^!?[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only (and a leading ! of a Meshtastic node id)');

export const Latitude = z.number().finite().min(-90).max(90);
export const Longitude = z.number().finite().min(-180).max(180);

export const LatLon = z.object({ lat: Latitude, lon: Longitude });
export type LatLon = z.infer<typeof LatLon>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
