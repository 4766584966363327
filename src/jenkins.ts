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

/** The number of the last successful build: `<N>` of the tags (DESIGN §4). */
export function lastSuccessfulNumber(record: JenkinsJobRecord | undefined): number | undefined {
  const n = record?.lastSuccessfulBuild?.number ?? record?.job?.lastSuccessfulBuild?.number;
  return typeof n === 'number' ? n : undefined;
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
 * after), each with status SUCCESS. Returns the problem, or undefined when they do.
 */
export function stagesInOrder(stages: StageReading[], wanted: string[]): Localized | undefined {
  let from = 0;
  for (const name of wanted) {
    const at = stages.findIndex((s, i) => i >= from && s.name === name);
    if (at < 0) {
      const anywhere = stages.some((s) => s.name === name);
      return anywhere
        ? L(`단계 ${name}의 순서가 맞지 않음`, `stage ${name} is out of order`)
        : L(`단계 ${name}이(가) 없음`, `no stage named ${name}`);
    }
    if (stages[at].status !== 'SUCCESS') return L(`단계 ${name}이(가) ${stages[at].status}`, `stage ${name} is ${stages[at].status}`);
    from = at + 1;
  }
  return undefined;
}
