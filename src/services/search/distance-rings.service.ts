import type { Kysely } from 'kysely';
import { badRequest, HowlError } from '../../contract/errors.ts';
import {
  type DistanceTable,
  DistanceTableBody,
  type DistanceTableBody as DistanceTableInput,
  RingsBody,
  type RingsCollection,
  type RingsBody as RingsInput,
} from '../../contract/search-rings.ts';
import { distanceRings, ringLabel } from '../../domain/distance-rings.ts';
import { parseLostPersonCsv } from '../../formats/lost-person-csv.ts';
import {
  getLostPersonTable,
  type LostPersonTableRow,
  saveLostPersonTable,
} from '../../store/distance-tables.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';

/** Half of a UTF-16 pair without the other: not text, and refused by PostgreSQL's JSON. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const NO_TABLE: DistanceTable = { profiles: [], source: null, updatedAt: null };

const toTable = (r: LostPersonTableRow): DistanceTable => ({
  profiles: r.profiles,
  source: r.source,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * The team's lost-person statistics (its own CSV, docs/search-planning.md "Distance rings") and the distance rings
 * they give around an initial planning point. Leaders upload the table; every member can draw the rings.
 */
export class DistanceRingsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async table(auth: Auth, teamId: string): Promise<DistanceTable> {
    requireMember(auth, teamId);
    const row = await getLostPersonTable(this.db, teamId);
    return row ? toTable(row) : NO_TABLE;
  }

  /** Replaces the team's table with the CSV's; a CSV that does not parse is a 400 naming its line, and keeps the old. */
  async setTable(auth: Auth, teamId: string, input: DistanceTableInput): Promise<DistanceTable> {
    requireLeader(auth, teamId);
    const body = DistanceTableBody.parse(input);
    const source = body.source ?? 'the table';
    let profiles: ReturnType<typeof parseLostPersonCsv>;
    try {
      profiles = parseLostPersonCsv(body.csv, source);
    } catch (e) {
      if (e instanceof HowlError) throw badRequest('csv', e.message);
      throw e;
    }
    if (profiles.length === 0) throw badRequest('csv', `${source}: no subject category after the header`);
    const garbled = profiles.find((p) => LONE_SURROGATE.test(p.category));
    if (garbled) throw badRequest('csv', `${source}: a category is not valid text ("${garbled.category}")`);
    const row = await saveLostPersonTable(this.db, {
      team_id: teamId,
      profiles: profiles.map((p) => ({ category: p.category, rings: p.rings.map((r) => ({ ...r })) })),
      source,
      updated_by: auth.kind === 'member' ? auth.memberId : null,
      updated_at: this.now(),
    });
    return toTable(row);
  }

  /** The rings of a category of the team's table around the initial planning point, as GeoJSON. */
  async rings(auth: Auth, teamId: string, input: RingsInput): Promise<RingsCollection> {
    requireMember(auth, teamId);
    const body = RingsBody.parse(input);
    const row = await getLostPersonTable(this.db, teamId);
    if (!row) throw badRequest('category', 'the team has no lost-person table: upload one first');
    const wanted = body.category.toLowerCase();
    const profile = row.profiles.find((p) => p.category.toLowerCase() === wanted);
    if (!profile) {
      throw badRequest(
        'category',
        `"${body.category}" is not in the team's table (${row.profiles.map((p) => p.category).join(', ')})`,
      );
    }
    return {
      type: 'FeatureCollection',
      features: distanceRings(body.at, profile).map((r) => ({
        type: 'Feature',
        properties: {
          category: profile.category,
          quantile: r.quantile,
          distanceM: r.distanceM,
          label: ringLabel(r),
        },
        geometry: r.polygon,
      })),
    };
  }
}
