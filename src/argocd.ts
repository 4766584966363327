/**
 * Readings of Argo CD's objects, shared by the l4-argocd grader (and the kit's simulated
 * controller). Shapes: argoproj/argo-cd pkg/apis/application/v1alpha1/types.go —
 *
 * - Application: `spec.project`, `spec.source.{repoURL,path,targetRevision}` (or `spec.sources[]`),
 *   `spec.destination.{server|name,namespace}`, `spec.syncPolicy.automated.{prune,selfHeal,enabled}`;
 *   `status.sync.{status,revision}` (Synced/OutOfSync/Unknown and the commit compared with),
 *   `status.health.status`, `status.conditions[].{type,message}`,
 *   `status.operationState.{phase,message}`.
 * - AppProject: `spec.destinations[].{server|name,namespace}` (glob patterns; a leading `!`
 *   denies, since Argo CD 2.11), `spec.sourceRepos[]`.
 * - Tracking (argo-cd v3.5 util/argo/resource_tracking.go, util/settings/settings.go,
 *   common/common.go): the ConfigMap `argocd-cm` sets `application.resourceTrackingMethod`
 *   (`annotation`, the default when unset since 3.0; `label`; `annotation+label`),
 *   `application.instanceLabelKey` (default `app.kubernetes.io/instance`) and `installationID`.
 *   With annotation tracking an object belongs to the Application named in its annotation
 *   `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>` — when the
 *   annotation `argocd.argoproj.io/installation-id` equals installationID, and the id names the
 *   object itself (controller/state.go isSelfReferencedObj: a mark copied onto another object does
 *   not count); `annotation+label` reads the annotation too. Only `label` tracking reads the
 *   instance label. Argo CD reads only ConfigMaps labelled `app.kubernetes.io/part-of=argocd`
 *   (settings.go partOfArgoCDSelector), so the graders list them with the same selector.
 * - Comparison (controller/state.go CompareAppState, specEqualsCompareTo; types.go
 *   BuildComparedToStatus, GetRevisions): `status.sync.comparedTo` holds the destination,
 *   ignoreDifferences and the source (`source`, or `sources` when `spec.sources` is not empty)
 *   the status was computed for; a multi-source Application reports `status.sync.revisions[]`, one
 *   per source, and leaves `revision` empty.
 */
import { isDeepStrictEqual } from 'node:util';
import { L, type Localized } from './i18n.js';
import { groupOf } from './kube/resources.js';
import type { KubeObject } from './snapshot.js';

export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
export const INSTALLATION_ID_ANNOTATION = 'argocd.argoproj.io/installation-id';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** The ConfigMap of Argo CD's settings, and the label selector Argo CD reads its settings with. */
export const ARGOCD_CM = 'argocd-cm';
export const SETTINGS_SELECTOR = 'app.kubernetes.io/part-of=argocd';

/** Argo CD's glob match (gobwas/glob without separators: `*` matches any run of characters). */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

export interface AppSource {
  repoURL: string;
  path: string;
  targetRevision?: string;
}

/** Multi-source when `spec.sources` is not empty (types.go HasMultipleSources; no source hydrator here). */
export const hasMultipleSources = (app: KubeObject): boolean => Array.isArray(app.spec?.sources) && app.spec.sources.length > 0;

/** The Application's sources (one with `spec.source`, several with `spec.sources`). */
export function appSources(app: KubeObject): AppSource[] {
  const list = hasMultipleSources(app) ? app.spec.sources : app.spec?.source ? [app.spec.source] : [];
  return list.map((s: any) => ({ repoURL: String(s.repoURL ?? ''), path: String(s.path ?? '').replace(/^\.\//, '').replace(/\/+$/, ''), targetRevision: s.targetRevision }));
}

/** The commits Argo CD compared with, one per source, in the order of appSources (GetRevisions). */
export function appRevisions(app: KubeObject): (string | undefined)[] {
  const sync = app.status?.sync ?? {};
  if (hasMultipleSources(app)) return appSources(app).map((_, i) => (sync.revisions ?? [])[i] || undefined);
  return [sync.revision || undefined];
}

/** JSON as Go's encoding/json writes a struct with `omitempty`: empty strings, false, 0, null, [] and {} left out. */
function omitEmpty(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(omitEmpty);
    return items.length ? items : undefined;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v)
      .map(([k, x]) => [k, omitEmpty(x)] as const)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return v === '' || v === false || v === 0 || v === null ? undefined : v;
}
/** Equal as Go compares the two structs once empty fields are left out (key order is no difference). */
const sameOmittingEmpty = (a: unknown, b: unknown) => isDeepStrictEqual(omitEmpty(a) ?? null, omitEmpty(b) ?? null);

/** What `status.sync.comparedTo` is once Argo CD has compared the current spec (BuildComparedToStatus). */
export function comparedToOfSpec(app: KubeObject): Record<string, unknown> {
  const spec = app.spec ?? {};
  return {
    destination: spec.destination,
    ignoreDifferences: spec.ignoreDifferences,
    ...(hasMultipleSources(app) ? { sources: spec.sources } : { source: spec.source }),
  };
}

/**
 * Null when the Application's status was computed for its current spec (comparedTo equals the
 * source(s) and destination, as specEqualsCompareTo decides); else what differs, for a message.
 */
export function staleComparison(app: KubeObject): Localized | null {
  const want = comparedToOfSpec(app);
  const seen = app.status?.sync?.comparedTo ?? {};
  const differs = ['source', 'sources', 'destination', 'ignoreDifferences'].filter((k) => !sameOmittingEmpty((seen as any)[k], (want as any)[k]));
  if (!differs.length) return null;
  const show = (v: unknown) => JSON.stringify(omitEmpty(v) ?? null);
  const detail = differs.map((k) => `${k}: ${show((seen as any)[k])} ≠ spec ${show((want as any)[k])}`).join('; ');
  return L(
    `${app.metadata.name}: Argo CD가 아직 현재 spec과 비교하지 않음(status.sync.comparedTo ${detail})`,
    `${app.metadata.name}: Argo CD has not compared the current spec yet (status.sync.comparedTo ${detail})`,
  );
}

/** The automated sync policy, or undefined when the Application is synced by hand only. */
export function automatedPolicy(app: KubeObject): { prune: boolean; selfHeal: boolean } | undefined {
  const automated = app.spec?.syncPolicy?.automated;
  if (!automated || automated.enabled === false) return undefined;
  return { prune: automated.prune === true, selfHeal: automated.selfHeal === true };
}

/** The namespace patterns an AppProject allows (deny patterns, `!…`, left out). */
export function allowedNamespaces(project: KubeObject): string[] {
  return (project.spec?.destinations ?? []).map((d: any) => String(d.namespace ?? '')).filter((ns: string) => !ns.startsWith('!'));
}

export interface TrackingSettings {
  /** `annotation`, `label` or `annotation+label` (another value reads as the annotation, as Argo CD's default case does). */
  method: string;
  labelKey: string;
  installationID: string;
  /** Whether argocd-cm sets the method, or Argo CD's default applies. */
  configured: boolean;
}

/** Argo CD's tracking settings from its argocd-cm ConfigMap (undefined: none, so the defaults). */
export function trackingSettings(cm: KubeObject | undefined): TrackingSettings {
  const data = cm?.data ?? {};
  const method = String(data['application.resourceTrackingMethod'] ?? '').trim();
  return {
    method: method || 'annotation',
    labelKey: String(data['application.instanceLabelKey'] ?? '').trim() || INSTANCE_LABEL,
    installationID: String(data.installationID ?? '').trim(),
    configured: method !== '',
  };
}

export interface TrackingId {
  app: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** `<app>:<group>/<kind>:<namespace>/<name>` (resource_tracking.go ParseAppInstanceValue). */
export function parseTrackingId(value: string | undefined): TrackingId | undefined {
  if (!value) return undefined;
  const parts = value.split(':');
  if (parts.length < 3) return undefined;
  const [app, groupKind] = parts;
  const nsName = parts.slice(2).join(':');
  const gk = groupKind.split('/');
  const nn = nsName.split('/');
  if (gk.length !== 2 || nn.length !== 2) return undefined;
  return { app, group: gk[0], kind: gk[1], namespace: nn[0], name: nn[1] };
}

/** The tracking id of an object for an Application (BuildAppInstanceValue). */
export const trackingIdOf = (app: string, o: KubeObject, namespace = o.metadata.namespace ?? '') => `${app}:${groupOf(o.apiVersion)}/${o.kind}:${namespace}/${o.metadata.name}`;

/**
 * The Application an object belongs to under these settings (GetAppName, plus isSelfReferencedObj
 * for the annotation methods), or undefined.
 */
export function appInstanceName(o: KubeObject, settings: TrackingSettings): string | undefined {
  if (settings.method === 'label') return o.metadata.labels?.[settings.labelKey] || undefined;
  const annotations = o.metadata.annotations ?? {};
  if ((annotations[INSTALLATION_ID_ANNOTATION] ?? '') !== settings.installationID) return undefined;
  const id = parseTrackingId(annotations[TRACKING_ANNOTATION]);
  if (!id) return undefined;
  const self = (o.metadata.namespace === id.namespace || !o.metadata.namespace) && o.metadata.name === id.name && groupOf(o.apiVersion) === id.group && o.kind === id.kind;
  return self ? id.app : undefined;
}

/** For messages: the mark Argo CD tracks by ("the annotation …"), and where that method comes from. */
export function describeTracking(settings: TrackingSettings): { mark: Localized; source: Localized } {
  const mark =
    settings.method === 'label'
      ? L(`레이블 ${settings.labelKey}`, `the label ${settings.labelKey}`)
      : settings.method === 'annotation+label'
        ? L(`애너테이션 ${TRACKING_ANNOTATION}(과 레이블 ${settings.labelKey})`, `the annotation ${TRACKING_ANNOTATION} (and the label ${settings.labelKey})`)
        : L(`애너테이션 ${TRACKING_ANNOTATION}`, `the annotation ${TRACKING_ANNOTATION}`);
  const source = settings.configured
    ? L(`argocd-cm의 application.resourceTrackingMethod: ${settings.method}`, `argocd-cm sets application.resourceTrackingMethod: ${settings.method}`)
    : L('argocd-cm에 application.resourceTrackingMethod가 없어 Argo CD 3의 기본값 annotation', "argocd-cm sets no application.resourceTrackingMethod: Argo CD 3's default, annotation");
  return { mark, source };
}

/** What an object carries that looks like a tracking mark, for messages: "label app.kubernetes.io/instance=hello-dev". */
export function trackingMarks(o: KubeObject, settings: TrackingSettings): string {
  const marks: string[] = [];
  const id = o.metadata.annotations?.[TRACKING_ANNOTATION];
  if (id) marks.push(`annotation ${TRACKING_ANNOTATION}=${id}`);
  const installation = o.metadata.annotations?.[INSTALLATION_ID_ANNOTATION];
  if (installation) marks.push(`annotation ${INSTALLATION_ID_ANNOTATION}=${installation}`);
  for (const key of new Set([settings.labelKey, INSTANCE_LABEL])) {
    const v = o.metadata.labels?.[key];
    if (v) marks.push(`label ${key}=${v}`);
  }
  return marks.join(', ') || 'no tracking mark';
}

/** "Synced at a1b2c3d, Healthy" */
export function appStatusLine(app: KubeObject): string {
  const sync = app.status?.sync ?? {};
  const revision = sync.revision ? ` at ${String(sync.revision).slice(0, 7)}` : '';
  return `${sync.status ?? 'no sync status'}${revision}, ${app.status?.health?.status ?? 'no health'}`;
}

/** Conditions and the last operation, as evidence: "InvalidSpecError: …", "operation Failed: …". */
export function appEvidence(app: KubeObject): string[] {
  const lines = (app.status?.conditions ?? []).map((c: any) => `${app.metadata.name}: ${c.type}: ${c.message}`);
  const op = app.status?.operationState;
  if (op && op.phase !== 'Succeeded') lines.push(`${app.metadata.name}: last operation ${op.phase}: ${op.message ?? ''}`);
  return lines;
}
