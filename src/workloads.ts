/**
 * Checks about what a Deployment runs, shared by the graders of the Jenkins, Helm and Argo CD
 * labs ("Deployment hello-app in <ns> runs tag <tag>, complete rollout").
 */
import { fail, pass, type Outcome } from './checks.js';
import { L } from './i18n.js';
import { conditionLines, containers, imageRepository, imageTag, readRollout } from './kube/objects.js';
import type { KubeObject } from './snapshot.js';
import type { LabState } from './state.js';

/** The image of a workload's hello-app container: the first whose image is a hello-app image, else the first. */
export function appImage(workload: KubeObject, repository = 'hello-app'): string | undefined {
  const list = containers(workload);
  return (list.find((c) => imageRepository(c.image) === repository) ?? list[0])?.image;
}

/**
 * Deployment `name` in `namespace` runs `tag` (its hello-app image's tag) and, unless told
 * otherwise, its rollout is complete (DESIGN §4).
 */
export function runsTag(s: LabState, namespace: string, name: string, tag: string, options: { complete?: boolean } = {}): Outcome {
  const d = s.get('Deployment', namespace, name);
  const expected = options.complete === false ? `${name}: tag ${tag}` : L(`${name}: 태그 ${tag}, 롤아웃 완료`, `${name}: tag ${tag}, rollout complete`);
  if (!d) return fail(expected, L(`${namespace}에 Deployment ${name} 없음`, `no Deployment ${name} in ${namespace}`));
  const image = appImage(d);
  const running = imageTag(image);
  if (running !== tag) return fail(expected, L(`이미지 ${image ?? '(없음)'}`, `image ${image ?? '(none)'}`));
  if (options.complete === false) return pass(`image ${image}`);
  const rollout = readRollout(d);
  if (!rollout.complete) return fail(expected, `image ${image}; ${rollout.observed}`, { evidence: [...conditionLines(d), ...s.warnings(namespace, 'Deployment', name)] });
  return pass(`image ${image}; ${rollout.observed}`);
}
