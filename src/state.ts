/**
 * The read model every grader works on: one snapshot, whether it was just collected from the
 * live platform or loaded from a file. Graders ask questions ("the Deployment web-green in
 * s3-bluegreen"); they never make requests themselves.
 *
 * Three situations are not ordinary answers, and the engine turns them into check results
 * (src/engine.ts `runCheck`), so that no check repeats a guard for them:
 * - NotFound: what the check is about does not exist (`state.must(…)`, `found(…)`). The check
 *   fails with one standard message: "<Kind> <name> not found in <namespace>".
 * - SourceUnavailable: the collector could not read that source (Jenkins down, a CRD not
 *   installed). The check fails and says why, instead of "not found".
 * - NotCaptured: a live-only measurement is missing from a snapshot. The check is skipped,
 *   with that reason.
 */
import { L, type Localized, type Text } from './i18n.js';
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

/** What a failure about a missing thing may add: a hint more specific than the catalog's, evidence. */
export interface NotFoundDetails {
  hint?: Localized;
  evidence?: string[];
}

/**
 * A thing a check is about does not exist. The engine turns it into a failure with the standard
 * message: expected "<Kind> <name> in <namespace>", observed "<Kind> <name> not found in <namespace>".
 */
export class NotFound extends Error {
  readonly expected: Localized;
  readonly observed: Localized;
  constructor(
    kind: Text,
    name: string,
    namespace?: string,
    readonly details: NotFoundDetails = {},
  ) {
    const k = typeof kind === 'string' ? L(kind, kind) : kind;
    const expected = namespace === undefined ? L(`${k.ko} ${name}`, `${k.en} ${name}`) : L(`${namespace}의 ${k.ko} ${name}`, `${k.en} ${name} in ${namespace}`);
    const observed = namespace === undefined ? L(`${k.ko} ${name} 없음`, `${k.en} ${name} not found`) : L(`${namespace}에 ${k.ko} ${name} 없음`, `${k.en} ${name} not found in ${namespace}`);
    super(observed.en);
    this.name = 'NotFound';
    this.expected = expected;
    this.observed = observed;
  }
}

/**
 * The value, or a NotFound for it: the lookup for what is not a Kubernetes object of the
 * collected kinds (a Helm release, a Jenkins job). `details` is called only when it is missing.
 */
export function found<T>(value: T | null | undefined, kind: Text, name: string, namespace?: string, details?: () => NotFoundDetails): T {
  if (value === undefined || value === null) throw new NotFound(kind, name, namespace, details?.());
  return value;
}

export type Selector = Record<string, string>;

export function matchesSelector(labels: Record<string, string> | undefined, selector: Selector | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false; // an empty selector selects nothing here
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

const JENKINS_JOB = L('Jenkins 작업', 'Jenkins job');

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

  /** The object, if it exists; for a reading where its absence is an answer of its own. */
  get(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    return this.list(kind, namespace).find((o) => o.metadata.name === name);
  }

  /**
   * The object a check is about: when it does not exist, the check fails with the standard
   * not-found message (NotFound). `details` adds a hint or evidence, read only when it is missing.
   */
  must(kind: KindName, namespace: string, name: string, details?: () => NotFoundDetails): KubeObject {
    return found(this.get(kind, namespace, name), kind, name, resource(kind).namespaced ? namespace : undefined, details);
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

  /** The Jenkins job a check is about; when there is none, the check fails with the standard not-found message. */
  mustJenkinsJob(name: string): JenkinsJobRecord {
    return found(this.jenkinsJob(name), JENKINS_JOB, name);
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
