import { z } from 'zod';

/** What the web app needs to know about this server before it draws anything. */
export const ClientConfig = z.object({
  version: z.string(),
  tiles: z
    .object({ kind: z.enum(['raster', 'pmtiles']), url: z.string() })
    .nullable()
    .describe('null: plain background with grid and scale (offline)'),
  publicUrl: z.string().describe('the address phones use'),
  httpsUrl: z.string().nullable(),
});
export type ClientConfig = z.infer<typeof ClientConfig>;
