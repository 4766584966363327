/**
 * Merging configuration: objects merge key by key, recursively; anything else in `extra` (a scalar,
 * an array) replaces what `base` has, and a null or missing one keeps it. Neither input is changed.
 */
export function deepMerge(base: any, extra: any): any {
  if (Array.isArray(base) || Array.isArray(extra) || typeof base !== 'object' || typeof extra !== 'object' || !base || !extra) return extra ?? base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}
