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
 * - Tracking: objects Argo CD manages carry `argocd.argoproj.io/tracking-id:
 *   <app>:<group>/<kind>:<namespace>/<name>` (annotation tracking, the default since 3.0) or,
 *   with label tracking, `app.kubernetes.io/instance: <app>` (docs: user-guide/resource_tracking).
 */
import type { KubeObject } from './snapshot.js';

export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

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

/** The Application's sources (one with `spec.source`, several with `spec.sources`). */
export function appSources(app: KubeObject): AppSource[] {
  const list = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  return list.map((s: any) => ({ repoURL: String(s.repoURL ?? ''), path: String(s.path ?? '').replace(/^\.\//, '').replace(/\/+$/, ''), targetRevision: s.targetRevision }));
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

/** The Application that manages an object, by tracking annotation or instance label. */
export function managedBy(o: KubeObject): string | undefined {
  const id = o.metadata.annotations?.[TRACKING_ANNOTATION];
  if (id) return id.split(':')[0];
  return o.metadata.labels?.[INSTANCE_LABEL];
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
