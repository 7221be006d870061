/**
 * The columns a patch really sets: keys whose value is undefined set nothing. An update with none of them
 * would be `UPDATE … SET WHERE …`, a syntax error on both engines; repositories read the row instead.
 */
export function changedColumns<T extends object>(patch: T): Partial<T> | undefined {
  const out = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
  return Object.keys(out).length > 0 ? out : undefined;
}
