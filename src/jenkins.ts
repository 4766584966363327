/**
 * Readings of what the Jenkins collector saved (src/collect/jenkins.ts), shared by the graders of
 * l1-freestyle, l2-pipeline, l3-helm and l4-argocd. The shapes, each as Jenkins returns it:
 *
 * - job (`GET /job/NAME/api/json`): `_class` names the job type (hudson.model.FreeStyleProject,
 *   org.jenkinsci.plugins.workflow.job.WorkflowJob); `lastCompletedBuild`/`lastSuccessfulBuild`
 *   are `{_class, number, url}` or null (Jenkins core, hudson.model.Job's @Exported properties).
 * - build (`GET /job/NAME/<n>/api/json`): `number`, `result` (SUCCESS, FAILURE, UNSTABLE, ABORTED,
 *   NOT_BUILT; null while building), `building`, `url`, `timestamp` (hudson.model.Run).
 * - config (`GET /job/NAME/config.xml`): a Pipeline's `<definition class="…">` is
 *   org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition when the Jenkinsfile comes from SCM and
 *   …cps.CpsFlowDefinition when the script is stored in the job (jenkinsci/workflow-cps-plugin).
 * - causes: a build's `actions[]` holds a `hudson.model.CauseAction` whose `causes[]` are
 *   `{_class, shortDescription, …}` (Cause.getShortDescription is exported). A Pipeline's Replay
 *   (and its Rebuild, a Replay with the script unchanged) adds
 *   `org.jenkinsci.plugins.workflow.cps.replay.ReplayCause`, shortDescription "Replayed #N" /
 *   "Rebuilt #N", to the run it starts; that run executes the script given in Jenkins — a Pipeline
 *   from SCM does not load its Jenkinsfile for it, CpsScmFlowDefinition.create hands over to the
 *   replay's flow factory first (jenkinsci/workflow-cps-plugin 4350.vcc65d4958821,
 *   plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/replay/ReplayAction.java run2,
 *   ReplayCause.java, CpsScmFlowDefinition.java). So a run's Jenkinsfile came from SCM when the job
 *   is defined from SCM and the run has no ReplayCause (`runFromScm`). (Restarting a Declarative
 *   stage reruns the original run's script the same way; it is not judged here.)
 * - stages (`GET /job/NAME/<n>/wfapi/describe`): `{id, name, status, stages: [{id, name, status,
 *   startTimeMillis, durationMillis, …}]}`, status one of SUCCESS, FAILED, NOT_EXECUTED, ABORTED,
 *   UNSTABLE, IN_PROGRESS, PAUSED_PENDING_INPUT, SKIPPED (jenkinsci/pipeline-stage-view-plugin,
 *   rest-api/README.md and rest-api/.../external/StatusExt.java).
 */
import { L, type Localized } from './i18n.js';
import type { JenkinsJobRecord } from './snapshot.js';
import { child, childText, parseXml, XmlError, type XmlElement } from './xml.js';
import { FREESTYLE_JOB, WORKFLOW_JOB } from './collect/jenkins.js';

export { FREESTYLE_JOB, WORKFLOW_JOB };
export const SCM_DEFINITION = 'org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition';
export const INLINE_DEFINITION = 'org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition';

/** What a job is, in the words of the Jenkins UI. */
export function jobKind(record: JenkinsJobRecord): string {
  const cls = record.job?._class as string | undefined;
  if (cls === FREESTYLE_JOB) return 'Freestyle project';
  if (cls === WORKFLOW_JOB) return 'Pipeline';
  return cls ?? 'unknown job type';
}

export interface PipelineDefinition {
  /** `scm` (Pipeline script from SCM), `inline` (Pipeline script) or `other`. */
  kind: 'scm' | 'inline' | 'other';
  definitionClass?: string;
  /** For `scm`: the repository URLs and the path of the Jenkinsfile. */
  repositories: string[];
  scriptPath?: string;
  /** For `inline`: the script stored in the job. */
  script?: string;
}

/** Parse a job's config.xml; undefined when there is none or it is not XML. */
export function jobConfig(record: JenkinsJobRecord): XmlElement | undefined {
  if (!record.config) return undefined;
  try {
    return parseXml(record.config);
  } catch (error) {
    if (error instanceof XmlError) return undefined;
    throw error;
  }
}

/** The URLs of a GitSCM element (`<userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>`). */
export function scmUrls(scm: XmlElement | undefined): string[] {
  return (child(scm, 'userRemoteConfigs')?.children ?? []).map((c) => childText(c, 'url') ?? '').filter(Boolean);
}

/** Where a Pipeline job's script comes from, read from its config.xml. */
export function pipelineDefinition(record: JenkinsJobRecord): PipelineDefinition | undefined {
  const root = jobConfig(record);
  const definition = child(root, 'definition');
  if (!definition) return undefined;
  const cls = definition.attributes.class;
  if (cls === SCM_DEFINITION) {
    return { kind: 'scm', definitionClass: cls, repositories: scmUrls(child(definition, 'scm')), scriptPath: childText(definition, 'scriptPath') };
  }
  if (cls === INLINE_DEFINITION) return { kind: 'inline', definitionClass: cls, repositories: [], script: child(definition, 'script')?.text };
  return { kind: 'other', definitionClass: cls, repositories: [] };
}

/** Does a repository URL name this Gitea repository (any host, with or without `.git`)? */
export function isRepository(url: string, ownerRepo: string): boolean {
  const path = url.replace(/\/+$/, '').replace(/\.git$/, '');
  return path.endsWith(`/${ownerRepo}`) || path === ownerRepo;
}

/** `#5 SUCCESS (http://…/job/x/5/)` — a build, as evidence. */
export function describeBuild(build: any): string {
  if (!build) return 'none';
  const result = build.building ? 'BUILDING' : (build.result ?? 'no result');
  return `#${build.number} ${result}${build.url ? ` (${build.url})` : ''}`;
}

export const REPLAY_CAUSE = 'org.jenkinsci.plugins.workflow.cps.replay.ReplayCause';

/** The causes of a build (every CauseAction in its `actions[]`). */
export function causesOf(build: any): any[] {
  return ((build?.actions ?? []) as any[]).filter((a) => a && Array.isArray(a.causes)).flatMap((a) => a.causes);
}

/** "Replayed #4" when the build is a Replay (or a Rebuild), else undefined. */
export function replayOf(build: any): string | undefined {
  const cause = causesOf(build).find((c) => c?._class === REPLAY_CAUSE);
  return cause ? String(cause.shortDescription ?? 'Replay') : undefined;
}

/** Null when a run's Jenkinsfile came from SCM (no Replay); else why not, naming the run. */
export function notFromScm(build: any, source: string): Localized | null {
  const replay = replayOf(build);
  if (!replay) return null;
  return L(
    `실행 #${build.number}은(는) Replay(${replay}): 스크립트를 ${source}에서 읽지 않고 Jenkins에서 넣었음`,
    `run #${build.number} is a Replay (${replay}): its script was given in Jenkins, not read from ${source}`,
  );
}

/** What to do about a Replay: commit the change, then run the job itself. */
export const replayHint = (source: string) =>
  L(
    `Replay는 Jenkins 화면에서 고친 스크립트를 한 번 돌릴 뿐, 저장소의 Jenkinsfile은 그대로입니다. 바꾼 내용을 ${source}의 Jenkinsfile에 커밋하고, 작업을 Build Now로(또는 커밋이 시작하게) 다시 실행하세요.`,
    `A Replay runs a script edited in Jenkins once; the Jenkinsfile in the repository stays as it was. Commit the change to the Jenkinsfile in ${source}, then run the job again with Build Now (or let the commit start it).`,
  );

/** The number of the last successful build, whatever started it. */
export function lastSuccessfulNumber(record: JenkinsJobRecord | undefined): number | undefined {
  const n = record?.lastSuccessfulBuild?.number ?? record?.job?.lastSuccessfulBuild?.number;
  return typeof n === 'number' ? n : undefined;
}

/**
 * `<N>` of the tags (ARCHITECTURE.md#jenkins-runs): the number of the job's last successful build,
 * when that build counts — a Replay does not (its Jenkinsfile did not come from SCM). Otherwise why
 * there is none.
 */
export function countedSuccess(record: JenkinsJobRecord | undefined, source: string): { number: number } | { problem: Localized; hint?: Localized } {
  const n = lastSuccessfulNumber(record);
  if (n === undefined) return { problem: L('성공한 실행 없음', 'no successful run') };
  const replay = notFromScm(record?.lastSuccessfulBuild, source);
  if (replay) return { problem: L(`마지막 성공 ${replay.ko}`, `the last success, ${replay.en}`), hint: replayHint(source) };
  return { number: n };
}

export interface StageReading {
  name: string;
  status: string;
}

/** The stages of a run from `wfapi/describe`, in the order the run went through them. */
export function stagesOf(describe: any): StageReading[] {
  return ((describe?.stages ?? []) as any[]).map((s) => ({ name: String(s.name), status: String(s.status) }));
}

export const stageList = (stages: StageReading[]) => (stages.length ? stages.map((s) => `${s.name} ${s.status}`).join(' → ') : '(no stages)');

/**
 * Whether `wanted` appear in this order among the stages (others may come before, between or
 * after), each with status SUCCESS. Returns the problem, or undefined when they do. A stage out of
 * order is named as the one out of place: the wanted stages that keep their order form the longest
 * run in order, and the one that does not belong to it is said to run before or after its
 * neighbour ("stage Build runs after Deploy; it belongs before Container Build").
 */
export function stagesInOrder(stages: StageReading[], wanted: string[]): Localized | undefined {
  const missing = wanted.find((name) => !stages.some((s) => s.name === name));
  if (missing) return L(`단계 ${missing}이(가) 없음`, `no stage named ${missing}`);
  let from = 0;
  const at: number[] = [];
  for (const name of wanted) {
    const i = stages.findIndex((s, j) => j >= from && s.name === name);
    if (i < 0) return outOfPlace(stages, wanted);
    at.push(i);
    from = i + 1;
  }
  for (const i of at) if (stages[i].status !== 'SUCCESS') return L(`단계 ${stages[i].name}이(가) ${stages[i].status}`, `stage ${stages[i].name} is ${stages[i].status}`);
  return undefined;
}

/** Which wanted stage is out of place, and where it runs instead (see stagesInOrder). */
function outOfPlace(stages: StageReading[], wanted: string[]): Localized {
  const pos = wanted.map((name) => stages.findIndex((s) => s.name === name));
  // The longest set of wanted stages already in order (longest increasing subsequence of their
  // positions); on a tie the one that keeps the earlier wanted stages.
  const best: number[][] = [];
  pos.forEach((p, i) => {
    let chain: number[] = [];
    for (let j = 0; j < i; j++) if (pos[j] < p && best[j].length > chain.length) chain = best[j];
    best[i] = [...chain, i];
  });
  const keep = best.reduce((a, b) => (b.length > a.length ? b : a), [] as number[]);
  const moved = wanted.findIndex((_, i) => !keep.includes(i));
  const name = wanted[moved];
  const prev = keep.filter((i) => i < moved).pop();
  const next = keep.find((i) => i > moved);
  if (next !== undefined && pos[moved] > pos[next]) {
    const runs = keep.filter((i) => pos[i] < pos[moved]).pop()!;
    return L(
      `단계 ${name}이(가) ${wanted[runs]} 뒤에 있음; ${wanted[next]} 앞에 있어야 함`,
      `stage ${name} runs after ${wanted[runs]}; it belongs before ${wanted[next]}`,
    );
  }
  const runs = keep.find((i) => pos[i] > pos[moved])!;
  return L(
    `단계 ${name}이(가) ${wanted[runs]} 앞에 있음; ${wanted[prev!]} 뒤에 있어야 함`,
    `stage ${name} runs before ${wanted[runs]}; it belongs after ${wanted[prev!]}`,
  );
}
