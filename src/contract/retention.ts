import { z } from 'zod';

/** `POST /api/admin/backup` takes nothing: the whole embedded database is written. */
export const BackupBody = z.object({}).strict();

export const PruneBody = z.object({
  dryRun: z.boolean().default(false).describe('count what would go, remove nothing'),
  team: z.string().trim().min(1).max(80).optional().describe('one team by name (default: every team)'),
});
export type PruneBody = z.infer<typeof PruneBody>;

export const PruneResult = z.object({
  dryRun: z.boolean(),
  teams: z.array(
    z.object({
      team: z.string(),
      keepPositionsDays: z.number().int().nullable(),
      /** Positions with a fix before this time go (null when the team keeps everything). */
      before: z.string().nullable(),
      positions: z.number().int().describe('removed, or that would be in a dry run'),
    }),
  ),
});
export type PruneResult = z.infer<typeof PruneResult>;
