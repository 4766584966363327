/**
 * A lab's lifecycle steps (lab.yaml `start:` and `solve:`). The same list is carried out by
 * `npm run lab -- start|solve <id>` on the live platform and, with simulated executors, by the kit
 * tests — so the tests prove what `solve` does, and the e2e workflow runs the same code.
 *
 * Paths are relative to the repository root.
 *
 *   - apply: labs/s3-bluegreen             kubectl apply (with -k when the folder holds a
 *                                          kustomization.yaml), server-side, on the lab context
 *   - run: solutions/s3-bluegreen/switch.sh
 *     args: [green]                        an executable script; it finds kubectl and helm on PATH
 *     env: {KEY: value}                    and the kube context in LAB_CONTEXT
 *   - git-push:                            commit files to a Gitea repository and push to main:
 *       repo: lab/hello-app                files maps a path in the repository to a file or folder
 *       files: {Jenkinsfile: solutions/l2-pipeline/Jenkinsfile}      of this repository; a folder is
 *       message: "Pipeline from SCM"       copied over what the repository has there (files not in
 *                                          it stay); when nothing changes, no commit is made
 *   - jenkins-job:                         create or update a Jenkins job from its config.xml
 *       name: hello-pipeline
 *       config: solutions/l2-pipeline/config.xml
 *   - jenkins-build:                       trigger a build and wait until it ends; fails unless
 *       job: hello-pipeline                it succeeded
 */
export type Step =
  | { apply: string }
  | { run: string; args?: string[]; env?: Record<string, string> }
  | { 'git-push': { repo: string; files: Record<string, string>; message: string } }
  | { 'jenkins-job': { name: string; config: string } }
  | { 'jenkins-build': { job: string } };

/** JSON schema of a step list, used by the catalog's lab.yaml check. */
export const stepsSchema = {
  type: 'array',
  items: {
    oneOf: [
      { type: 'object', required: ['apply'], additionalProperties: false, properties: { apply: { type: 'string', minLength: 1 } } },
      {
        type: 'object',
        required: ['run'],
        additionalProperties: false,
        properties: {
          run: { type: 'string', minLength: 1 },
          args: { type: 'array', items: { type: 'string' } },
          env: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      {
        type: 'object',
        required: ['git-push'],
        additionalProperties: false,
        properties: {
          'git-push': {
            type: 'object',
            required: ['repo', 'files', 'message'],
            additionalProperties: false,
            properties: {
              repo: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+$' },
              files: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
              message: { type: 'string', minLength: 1 },
            },
          },
        },
      },
      {
        type: 'object',
        required: ['jenkins-job'],
        additionalProperties: false,
        properties: {
          'jenkins-job': {
            type: 'object',
            required: ['name', 'config'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, config: { type: 'string', minLength: 1 } },
          },
        },
      },
      {
        type: 'object',
        required: ['jenkins-build'],
        additionalProperties: false,
        properties: {
          'jenkins-build': { type: 'object', required: ['job'], additionalProperties: false, properties: { job: { type: 'string', minLength: 1 } } },
        },
      },
    ],
  },
};

/** What carries the steps out: the live platform (scripts/lib) or a simulation (test/lib). */
export interface StepExecutor {
  apply(path: string): Promise<void>;
  run(script: string, args: string[], env: Record<string, string>): Promise<void>;
  gitPush(repo: string, files: Record<string, string>, message: string): Promise<void>;
  jenkinsJob(name: string, config: string): Promise<void>;
  jenkinsBuild(job: string): Promise<void>;
}

/** A one-line description of a step, for logs and dry runs. */
export function describeStep(step: Step): string {
  if ('apply' in step) return `apply ${step.apply}`;
  if ('run' in step) return `run ${[step.run, ...(step.args ?? [])].join(' ')}`;
  if ('git-push' in step) return `git push to ${step['git-push'].repo}: ${Object.keys(step['git-push'].files).join(', ')}`;
  if ('jenkins-job' in step) return `Jenkins job ${step['jenkins-job'].name} from ${step['jenkins-job'].config}`;
  return `Jenkins build of ${step['jenkins-build'].job}`;
}

/** The files of this repository a step reads (to check that they exist). */
export function stepFiles(step: Step): string[] {
  if ('apply' in step) return [step.apply];
  if ('run' in step) return [step.run];
  if ('git-push' in step) return Object.values(step['git-push'].files);
  if ('jenkins-job' in step) return [step['jenkins-job'].config];
  return [];
}

export async function runSteps(steps: Step[] | undefined, executor: StepExecutor, log: (line: string) => void = () => {}): Promise<void> {
  for (const step of steps ?? []) {
    log(describeStep(step));
    if ('apply' in step) await executor.apply(step.apply);
    else if ('run' in step) await executor.run(step.run, step.args ?? [], step.env ?? {});
    else if ('git-push' in step) await executor.gitPush(step['git-push'].repo, step['git-push'].files, step['git-push'].message);
    else if ('jenkins-job' in step) await executor.jenkinsJob(step['jenkins-job'].name, step['jenkins-job'].config);
    else await executor.jenkinsBuild(step['jenkins-build'].job);
  }
}
