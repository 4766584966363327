/**
 * The read model every grader works on: one snapshot, whether it was just collected from the
 * live platform or loaded from a file. Graders ask questions ("the Deployment web-green in
 * s3-bluegreen"); they never make requests themselves.
 *
 * Two situations are not ordinary answers, and the engine turns them into check results:
 * - SourceUnavailable: the collector could not read that source (Jenkins down, a CRD not
 *   installed). The check fails and says why, instead of "not found".
 * - NotCaptured: a live-only measurement is missing from a snapshot. The check is skipped,
 *   with that reason.
 */
import { L, type Localized } from './i18n.js';
import { groupOf, resource, resourceName, type KindName } from './kube/resources.js';
import type { JenkinsJobRecord, KubeObject, SchemaProbe, Snapshot, TrafficProbe, Unavailable } from './snapshot.js';

export class SourceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceUnavailable';
  }
}

export class NotCaptured extends Error {
  constructor(readonly reason: Localized) {
    super(reason.en);
    this.name = 'NotCaptured';
  }
}

export type Selector = Record<string, string>;

export function matchesSelector(labels: Record<string, string> | undefined, selector: Selector | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false; // an empty selector selects nothing here
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

const key = (group: string, kind: string, namespace: string | undefined) => `${group}/${kind}/${namespace ?? ''}`;

export class LabState {
  readonly context: string | undefined;
  readonly capturedAt: string | undefined;
  private readonly objects = new Map<string, KubeObject[]>();

  constructor(
    readonly snapshot: Snapshot,
    readonly mode: 'live' | 'snapshot',
  ) {
    this.context = snapshot.context;
    this.capturedAt = snapshot.capturedAt;
    for (const object of snapshot.kubernetes ?? []) {
      const k = key(groupOf(object.apiVersion), object.kind, object.metadata.namespace);
      const bucket = this.objects.get(k);
      if (bucket) bucket.push(object);
      else this.objects.set(k, [object]);
    }
  }

  private unavailable(source: Unavailable['source'], what: string, namespace?: string): void {
    const hit = (this.snapshot.unavailable ?? []).find(
      (u) => u.source === source && (u.what === what || u.what === '*') && (u.namespace === undefined || u.namespace === namespace),
    );
    if (hit) throw new SourceUnavailable(hit.message);
  }

  /** Every object of a kind in a namespace, optionally only those whose labels match. */
  list(kind: KindName, namespace: string, labels?: Selector): KubeObject[] {
    const r = resource(kind);
    this.unavailable('kubernetes', resourceName(r), namespace);
    const all = this.objects.get(key(groupOf(r.apiVersion), kind, r.namespaced ? namespace : undefined)) ?? [];
    return labels ? all.filter((o) => matchesSelector(o.metadata.labels, labels)) : all;
  }

  get(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    return this.list(kind, namespace).find((o) => o.metadata.name === name);
  }

  /** Warning events about one object, newest last, as "Reason: message" — evidence for a failure. */
  warnings(namespace: string, kind: string, name: string): string[] {
    let events: KubeObject[];
    try {
      events = this.list('Event', namespace);
    } catch {
      return [];
    }
    return events
      .filter((e) => e.type === 'Warning' && e.involvedObject?.kind === kind && e.involvedObject?.name === name)
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
      .map((e) => `${e.reason}: ${e.message}`);
  }

  jenkinsJob(name: string): JenkinsJobRecord | undefined {
    this.unavailable('jenkins', name);
    return this.snapshot.jenkins?.jobs?.[name];
  }

  registryTags(repository: string): string[] | undefined {
    this.unavailable('registry', repository);
    return this.snapshot.registry?.repositories?.[repository];
  }

  gitBranch(repository: string, branch: string): string | undefined {
    this.unavailable('git', repository);
    return this.snapshot.git?.repositories?.[repository]?.branches?.[branch];
  }

  /** A live-only measurement. Missing from a snapshot, it is NotCaptured: the check is skipped. */
  probe<T extends TrafficProbe | SchemaProbe>(name: string): T {
    this.unavailable('probe', name);
    const value = this.snapshot.probes?.[name];
    if (value === undefined) {
      throw new NotCaptured(L(
        `이 스냅샷에는 probes."${name}" 측정값이 없습니다. 이 검사는 살아 있는 클러스터에서 측정합니다.`,
        `this snapshot holds no probes."${name}" measurement; this check measures the live cluster.`,
      ));
    }
    return value as T;
  }
}
