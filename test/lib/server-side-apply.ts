/**
 * Server-side apply's field ownership, as a small model for the kit tests (the behaviour described in
 * kubernetes.io/docs/reference/using-api/server-side-apply/, "Field management" and "Merge strategy"):
 *
 *   - every field an apply names is set and owned by the applying field manager; with
 *     --force-conflicts, another manager that owned it with a different value loses it, while one
 *     that set the same value keeps sharing it;
 *   - a field the manager owned and no longer names is removed from the object, unless another
 *     manager still owns it;
 *   - `kubectl diff --server-side` is a dry run of that apply: it shows a difference when the object
 *     would change (managedFields themselves are not shown).
 *
 * Maps are merged field by field; lists are treated as atomic values (true of every list in the
 * objects this is used for: Namespaces, RBAC, ConfigMaps, Gateways, the labs' starters). The
 * identity fields (apiVersion, kind, metadata.name, metadata.namespace) are not managed fields.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface ApplyObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);
const SEP = '\u0000';

/** The leaf fields of an object: path (keys joined by NUL) → value (a list counts as one value). */
function leaves(value: Json, prefix: string[] = [], out = new Map<string, string>()): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...prefix, k], out);
  } else if (prefix.length && !IDENTITY.has(prefix.join('.'))) out.set(prefix.join(SEP), JSON.stringify(value));
  return out;
}

function build(fields: Map<string, string>, identity: ApplyObject): ApplyObject {
  const obj: any = { apiVersion: identity.apiVersion, kind: identity.kind, metadata: { name: identity.metadata.name } };
  if (identity.metadata.namespace) obj.metadata.namespace = identity.metadata.namespace;
  for (const [path, value] of [...fields].sort(([a], [b]) => a.localeCompare(b))) {
    const keys = path.split(SEP);
    let at = obj;
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    at[keys.at(-1)!] = JSON.parse(value);
  }
  return obj as ApplyObject;
}

interface Stored {
  identity: ApplyObject;
  fields: Map<string, string>;
  /** manager → the paths it owns */
  owners: Map<string, Set<string>>;
}

export const objectKey = (o: ApplyObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ServerSideApply {
  private readonly objects = new Map<string, Stored>();

  /** Apply as `manager` (with --force-conflicts); true when the object changed. */
  apply(config: ApplyObject, manager: string): boolean {
    const key = objectKey(config);
    const stored = this.objects.get(key) ?? { identity: config, fields: new Map(), owners: new Map() };
    const before = JSON.stringify([...stored.fields].sort());
    const wanted = leaves(config as unknown as Json);
    const mine = stored.owners.get(manager) ?? new Set<string>();
    for (const [path, value] of wanted) {
      if (stored.fields.get(path) !== value) {
        // A forced conflict: the other owners of a different value lose the field.
        for (const [other, paths] of stored.owners) if (other !== manager) paths.delete(path);
      }
      stored.fields.set(path, value);
    }
    for (const path of mine) {
      if (wanted.has(path)) continue;
      mine.delete(path);
      if (![...stored.owners].some(([other, paths]) => other !== manager && paths.has(path))) stored.fields.delete(path);
    }
    for (const path of wanted.keys()) mine.add(path);
    stored.owners.set(manager, mine);
    this.objects.set(key, stored);
    return before !== JSON.stringify([...stored.fields].sort());
  }

  /** `kubectl diff --server-side --field-manager <manager>`: would this apply change the object? */
  wouldChange(config: ApplyObject, manager: string): boolean {
    const stored = this.objects.get(objectKey(config));
    if (!stored) return true;
    const copy = new ServerSideApply();
    copy.objects.set(objectKey(config), { identity: stored.identity, fields: new Map(stored.fields), owners: new Map([...stored.owners].map(([m, p]) => [m, new Set(p)])) });
    return copy.apply(config, manager);
  }

  /** Delete objects (a namespace with what is in it). */
  deleteWhere(match: (o: ApplyObject) => boolean): void {
    for (const [key, stored] of this.objects) if (match(stored.identity)) this.objects.delete(key);
  }

  get(kind: string, name: string, namespace?: string): ApplyObject | undefined {
    const stored = this.objects.get(`${kind}/${namespace ?? ''}/${name}`);
    return stored && build(stored.fields, stored.identity);
  }
}
