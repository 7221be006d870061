import type { Drill, DrillConditions, TrailType } from '../../../src/contract/drills.ts';
import { DEFAULT_FIND_RADIUS_M, DEFAULT_TOLERANCE_M } from '../../../src/domain/drill-score.ts';

/** The drill form's text fields, by name: the conditions, the tolerance and the find radius. */
export type ConditionFields = Record<string, string>;

export const TRAIL_TYPES: Array<[TrailType, string]> = [
  ['training', 'Training'],
  ['double_blind', 'Double-blind'],
  ['negative', 'Negative'],
  ['line_up', 'Line-up'],
];

export const NEW_DRILL_FIELDS: ConditionFields = {
  trailType: 'training',
  toleranceM: String(DEFAULT_TOLERANCE_M),
  findRadiusM: String(DEFAULT_FIND_RADIUS_M),
};

/** A number from a text field, or null when empty. */
const num = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : Number(text));
const text = (n: number | null) => (n === null ? '' : String(n));

/** The conditions as the API takes them, from the form's fields. */
export function conditionsOf(c: ConditionFields): DrillConditions {
  return {
    trailAgeMin: num(c.trailAgeMin),
    trailType: (c.trailType ?? 'training') as TrailType,
    terrain: c.terrain ?? '',
    weather: c.weather ?? '',
    temperatureC: num(c.temperatureC),
    windDirectionDeg: num(c.windDirectionDeg),
    windSpeedMps: num(c.windSpeedMps),
    scentArticle: c.scentArticle ?? '',
    notes: c.notes ?? '',
  };
}

/** The form's fields for a drill as it is. */
export function fieldsOf(drill: Drill): ConditionFields {
  const c = drill.conditions;
  return {
    trailAgeMin: text(c.trailAgeMin),
    trailType: c.trailType,
    terrain: c.terrain,
    weather: c.weather,
    temperatureC: text(c.temperatureC),
    windDirectionDeg: text(c.windDirectionDeg),
    windSpeedMps: text(c.windSpeedMps),
    scentArticle: c.scentArticle,
    notes: c.notes,
    toleranceM: String(drill.toleranceM),
    findRadiusM: String(drill.findRadiusM),
  };
}
