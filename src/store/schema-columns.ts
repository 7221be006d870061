import type { ColumnType } from 'kysely';

/** Column types shared by the tables (schema.ts and its parts). */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T = unknown> = ColumnType<T, string, string>;
export type Mode = 'exercise' | 'real';
