/**
 * Grader of l3-kustomize: one base, two overlays, applied into l3-kustomize-dev and
 * l3-kustomize-prod. Reads the Deployment hello-app and the ConfigMaps of both
 * namespaces. Outcomes only: a label set by `labels:` or by a patch, replicas by `replicas:` or by
 * a patch, are the same; a generated ConfigMap is recognised by its name `hello-app-config-<hash>`
 * whose hash is the hash of its content, as kustomize computes it (src/kube/kustomize.ts).
 */
import { fail, firstFailure, pass, type Outcome } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { isGenerated } from '../../src/kube/kustomize.js';
import { conditionLines, containers, labelString, readRollout } from '../../src/kube/objects.js';
import type { KubeObject } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = { dev: 'l3-kustomize-dev', prod: 'l3-kustomize-prod' } as const;
type Env = keyof typeof NS;
const NAME = 'hello-app';
const CONFIG = 'hello-app-config';

const deployment = (s: LabState, env: Env) => s.must('Deployment', NS[env], NAME);

function rolledOut(s: LabState, env: Env, d: KubeObject): Outcome {
  const rollout = readRollout(d);
  return rollout.complete
    ? pass(rollout.observed)
    : fail(L('롤아웃 완료', 'a complete rollout'), rollout.observed, { evidence: [...conditionLines(d), ...s.warnings(NS[env], 'Deployment', NAME)] });
}

function environment(s: LabState, env: Env, replicas: number, limits: boolean): Outcome {
  const d = deployment(s, env);
  return firstFailure(
    () => (d.metadata.labels?.env === env ? pass(`env=${env}`) : fail(`label env=${env}`, `labels ${labelString(d.metadata.labels)}`)),
    () => ((d.spec?.replicas ?? 1) === replicas ? pass(`${replicas} replicas`) : fail(L(`복제본 ${replicas}개`, `${replicas} replicas`), L(`복제본 ${d.spec?.replicas ?? 1}개`, `${d.spec?.replicas ?? 1} replicas`))),
    () => {
      if (!limits) return pass();
      const without = containers(d).filter((c) => !c.resources?.limits?.cpu || !c.resources?.limits?.memory);
      if (!without.length) return pass(`limits ${containers(d).map((c) => `${c.name}: cpu ${c.resources.limits.cpu}, memory ${c.resources.limits.memory}`).join('; ')}`);
      return fail(L('모든 컨테이너에 CPU·메모리 제한', 'CPU and memory limits on every container'), without.map((c) => `${c.name}: limits ${JSON.stringify(c.resources?.limits ?? {})}`).join('; '));
    },
    () => rolledOut(s, env, d),
  );
}

/** Names of the ConfigMaps a Pod template reads (envFrom, env valueFrom, volumes, projected volumes). */
function configMapsRead(d: KubeObject): string[] {
  const spec = d.spec?.template?.spec ?? {};
  const names = new Set<string>();
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const p of v.projected?.sources ?? []) if (p.configMap?.name) names.add(p.configMap.name);
  }
  return [...names];
}

function generatedConfig(s: LabState, env: Env): Outcome {
  const d = deployment(s, env);
  const expected = L(`${env}: ${CONFIG}-<내용의 해시> ConfigMap을 읽음`, `${env}: reads a ConfigMap ${CONFIG}-<hash of its content>`);
  const read = configMapsRead(d);
  const candidates = read.filter((n) => n.startsWith(`${CONFIG}-`));
  if (!candidates.length) return fail(expected, L(`${env}: 읽는 ConfigMap: ${read.join(', ') || '없음'}`, `${env}: ConfigMaps read: ${read.join(', ') || 'none'}`));
  for (const name of candidates) {
    const cm = s.get('ConfigMap', NS[env], name);
    if (cm && isGenerated(cm, CONFIG)) return pass(`${env}: ${name}`);
  }
  const present = candidates.filter((n) => s.get('ConfigMap', NS[env], n));
  if (!present.length) return fail(expected, L(`${env}: ${candidates.join(', ')}을(를) 읽지만 ${NS[env]}에 없음`, `${env}: reads ${candidates.join(', ')}, which ${NS[env]} does not have`));
  return fail(expected, L(`${env}: ${present.join(', ')}의 이름 뒤 해시가 내용과 맞지 않음(생성기가 만든 것이 아님)`, `${env}: the suffix of ${present.join(', ')} is not the hash of its content (not made by a generator)`));
}

/** JSON with sorted keys, so that equal values compare equal whatever order their fields came in. */
const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** What the base fixes: container names, ports and probes, comparable across environments. */
function baseShape(d: KubeObject): Record<string, unknown> {
  return Object.fromEntries(
    containers(d)
      .map((c) => [
        c.name,
        {
          ports: (c.ports ?? []).map((p: any) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })).sort((a: any, b: any) => a.containerPort - b.containerPort),
          readinessProbe: c.readinessProbe ?? null,
          livenessProbe: c.livenessProbe ?? null,
          startupProbe: c.startupProbe ?? null,
        },
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

export default defineGrader({
  lab: 'l3-kustomize',
  needs: { kubernetes: [{ kinds: ['Deployment', 'ConfigMap', 'Event'], namespaces: [NS.dev, NS.prod] }] },
  checks: {
    dev: (s) => environment(s, 'dev', 1, false),
    prod: (s) => environment(s, 'prod', 2, true),
    'generated-config': (s) => firstFailure(() => generatedConfig(s, 'dev'), () => generatedConfig(s, 'prod')),
    'same-base': (s) => {
      const dev = deployment(s, 'dev');
      const prod = deployment(s, 'prod');
      const expected = L('dev와 prod의 컨테이너 이름, 포트, 프로브가 같음', 'the same container names, ports and probes in dev and prod');
      const a = baseShape(dev);
      const b = baseShape(prod);
      const names = (x: Record<string, unknown>) => Object.keys(x).join(', ');
      if (names(a) !== names(b)) return fail(expected, L(`컨테이너: dev ${names(a)}, prod ${names(b)}`, `containers: dev ${names(a)}, prod ${names(b)}`));
      for (const name of Object.keys(a)) {
        for (const field of ['ports', 'readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
          const x = stable((a[name] as any)[field]);
          const y = stable((b[name] as any)[field]);
          if (x !== y) return fail(expected, `${name}.${field}: dev ${x}, prod ${y}`);
        }
      }
      return pass(L(`컨테이너 ${names(a)}: 포트와 프로브가 같음`, `containers ${names(a)}: same ports and probes`));
    },
  },
});
