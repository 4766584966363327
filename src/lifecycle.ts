/**
 * A lab's lifecycle steps (lab.yaml `start:` and `solve:`). The same list is carried out by
 * `npm run lab -- start|solve <id>` on the live platform and, with simulated executors, by the kit
 * tests — so the tests prove what `solve` does, and the e2e workflow runs the same code.
 *
 * Paths are relative to the repository root. A step is one of: `apply:` manifests, `run:` a
 * script (with `args:`, `env:`), `git-push:` files to the learner's Gitea repository,
 * `jenkins-job:` from a config.xml, `jenkins-build:` and wait for it; each field's meaning is in
 * the definition below (the lab.yaml schema and the docs' formats page show it).
 */
import { L } from './i18n.js';
import { doc, KO_DESCRIPTION, z, type Infer } from './schema.js';

const path = (ko: string, en: string) => doc(z.string().min(1), ko, en);

/** One step of a lab's `start:` or `solve:` list: an object with exactly one of these fields. */
export const Step = z
  .union([
    z.strictObject({ apply: path('`kubectl apply`(서버 쪽 적용)할 매니페스트 파일이나 폴더. `kustomization.yaml`이 있는 폴더는 `-k`로', 'A manifest file or folder to `kubectl apply` (server-side); a folder with a `kustomization.yaml` with `-k`') }),
    z.strictObject({
      run: path('실행할 스크립트(실행 권한 있는 파일). `PATH`의 kubectl과 helm, `LAB_CONTEXT`의 kube 컨텍스트를 씁니다', 'An executable script to run; it finds kubectl and helm on `PATH` and the kube context in `LAB_CONTEXT`'),
      args: doc(z.array(z.string()), '스크립트에 줄 인자', 'Arguments for the script').optional(),
      env: doc(z.record(z.string(), z.string()), '스크립트에 더할 환경 변수', 'Environment variables added for the script').optional(),
    }),
    z.strictObject({
      'git-push': doc(
        z.strictObject({
          repo: doc(z.string().regex(/^[\w.-]+\/[\w.-]+$/), 'Gitea 저장소(`조직/이름`)', 'The Gitea repository (`org/name`)'),
          files: doc(z.record(z.string(), z.string()).refine((files) => Object.keys(files).length > 0, { params: L('파일이 하나 이상 있어야 합니다', 'must name at least one file') }).meta({ minProperties: 1 }), '저장소 안의 경로 → 이 저장소의 파일이나 폴더. 폴더는 저장소의 그 자리에 덮어 씁니다(없는 파일은 그대로 둡니다)', 'A path in the repository → a file or folder of this repository; a folder is copied over what the repository has there (files not in it stay)'),
          message: doc(z.string().min(1), '커밋 메시지. 바뀐 것이 없으면 커밋하지 않습니다', 'The commit message; when nothing changes, no commit is made'),
        }),
        '파일을 커밋해 Gitea 저장소의 `main`에 푸시합니다',
        'Commit files to a Gitea repository and push to `main`',
      ),
    }),
    z.strictObject({
      'jenkins-job': doc(
        z.strictObject({ name: path('작업 이름', 'The job name'), config: path('작업의 `config.xml`', "The job's `config.xml`") }),
        '`config.xml`로 Jenkins 작업을 만들거나 고칩니다',
        'Create or update a Jenkins job from its `config.xml`',
      ),
    }),
    z.strictObject({
      'jenkins-build': doc(z.strictObject({ job: path('빌드할 작업', 'The job to build') }), '빌드를 시작하고 끝날 때까지 기다립니다. 성공하지 않으면 실패합니다', 'Trigger a build and wait until it ends; fails unless it succeeded'),
    }),
  ])
  .meta({
    id: 'Step',
    description: 'One step: an object with exactly one of apply, run, git-push, jenkins-job, jenkins-build',
    [KO_DESCRIPTION]: '단계 하나: apply, run, git-push, jenkins-job, jenkins-build 중 꼭 한 항목을 가진 객체',
  });
export type Step = Infer<typeof Step>;

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
