/**
 * A simulated Jenkins for the kit tests: jobs made from the labs' real config.xml files, builds
 * that run the real build steps, and the REST answers the collector saves, in Jenkins' shapes.
 *
 * What it models:
 * - Jobs: `<project>` (freestyle: GitSCM checkout, `hudson.tasks.Shell` build steps, each run with
 *   `sh -xe` in the agent's container; the first failure ends the build) and `<flow-definition>`
 *   (Pipeline: `CpsScmFlowDefinition` reads the Jenkinsfile from the simulated Gitea at the head of
 *   the branch and adds the stage "Declarative: Checkout SCM"; `CpsFlowDefinition` runs the script
 *   stored in the job). The Jenkinsfile subset is test/lib/jenkinsfile.ts's; a Groovy syntax
 *   error fails the build as Jenkins does, a construct outside the subset throws (a limit of the
 *   simulation, not of the learner).
 * - Agents: only the label of the platform's pod template (platform.yaml `jenkins.agentLabel`)
 *   has agents; its containers and their tools are test/lib/sim-tools.ts's CONTAINERS.
 * - Credentials: the platform's (platform.yaml `jenkins.credentials`), for checkouts and
 *   `withCredentials`.
 * - REST shapes (src/collect/jenkins.ts lists the GETs): `api/json` of jobs and builds with the
 *   fields of Jenkins core's @Exported properties (hudson.model.Job, AbstractProject, Run,
 *   AbstractBuild; WorkflowJob/WorkflowRun in jenkinsci/workflow-job-plugin) and the Git
 *   plugin's BuildData action; `config.xml` as stored; `wfapi/describe` as the Pipeline REST API
 *   answers (jenkinsci/pipeline-stage-view-plugin rest-api: RunExt, StageNodeExt, ChunkVisitor),
 *   including its handling of stages skipped after a failure: they report SUCCESS, except the
 *   last stage, which takes the run's status (RunExt.computeTimings).
 *
 * - Causes: each build's CauseAction in `actions[]`; a build started by hand has the
 *   `hudson.model.Cause$UserIdCause`. `replay()` is the Pipeline's Replay (or, unchanged, its
 *   Rebuild): the job's definition is bypassed and the given script runs instead — for a job from
 *   SCM the Jenkinsfile is not read from Gitea, though `checkout scm` still checks the repository
 *   out —, and the build's causes are `[UserIdCause, ReplayCause]` with ReplayCause's only
 *   exported field, `shortDescription` "Replayed #N" / "Rebuilt #N" (jenkinsci/workflow-cps-plugin
 *   4350.vcc65d4958821, plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/replay/
 *   ReplayAction.java run2, ReplayCause.java, Messages.properties; CpsScmFlowDefinition.create
 *   hands over to the replay's CpsFlowFactoryAction2 before any SCM load).
 *
 * What it does not: the queue, executors, parallel builds, triggers, plugins beyond those named.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FREESTYLE_JOB, WORKFLOW_JOB, INLINE_DEFINITION, SCM_DEFINITION, scmUrls } from '../../src/jenkins.js';
import { ROOT } from '../../src/paths.js';
import { gatewayUrl, platform } from '../../src/platform.js';
import type { JenkinsJobRecord } from '../../src/snapshot.js';
import { child, childText, parseXml, type XmlElement } from '../../src/xml.js';
import { evaluate, JenkinsfileError, NotSimulated, readPipeline, type GValue, type Step } from './jenkinsfile.js';
import type { SimCluster } from './sim.js';
import { git, GITEA_LOGIN, SimGitea } from './sim-gitea.js';
import { CONTAINERS, type ToolBox } from './sim-tools.js';
import { OFFLINE_NPM_ENV } from './app-packages.js';

export const JENKINS_URL = `${gatewayUrl(platform.hosts.jenkins)}/`;

const FREESTYLE_BUILD = 'hudson.model.FreeStyleBuild';
const WORKFLOW_RUN = 'org.jenkinsci.plugins.workflow.job.WorkflowRun';

interface StageRun {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILED';
  startTimeMillis: number;
  durationMillis: number;
}

export interface SimBuild {
  number: number;
  result: 'SUCCESS' | 'FAILURE';
  timestamp: number;
  duration: number;
  log: string;
  /** The commit checked out, if any. */
  revision?: { sha: string; url: string };
  stages?: StageRun[];
  /** The Pipeline script that ran (read from SCM, stored in the job, or given to a Replay). */
  script?: string;
  /** The causes of the build's CauseAction, as `api/json` shows them. */
  causes: any[];
}

export const USER_CAUSE = { _class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user admin', userId: 'admin', userName: 'admin' };
export const REPLAY_CAUSE_CLASS = 'org.jenkinsci.plugins.workflow.cps.replay.ReplayCause';

interface SimJob {
  name: string;
  config: string;
  builds: SimBuild[];
}

class StepFailed extends Error {}

export class SimJenkins {
  private readonly jobs = new Map<string, SimJob>();
  /** Credentials by id (platform.yaml jenkins.credentials): the lab user's Gitea login. */
  readonly credentials: Record<string, { username: string; password: string }> = {
    [platform.jenkins.credentials.gitea]: { username: GITEA_LOGIN.user, password: GITEA_LOGIN.password },
  };
  private podSeq = 0;

  constructor(
    private readonly deps: { cluster: () => SimCluster; gitea: () => SimGitea; tools: () => ToolBox },
  ) {}

  fork(deps: SimJenkins['deps']): SimJenkins {
    const copy = new SimJenkins(deps);
    for (const [name, job] of this.jobs) copy.jobs.set(name, structuredClone(job));
    copy.podSeq = this.podSeq;
    return copy;
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  /** POST /createItem?name=… or POST /job/NAME/config.xml: create or update a job from its config.xml. */
  putJob(name: string, configXml: string): void {
    const root = parseXml(configXml);
    if (root.name !== 'project' && root.name !== 'flow-definition') throw new Error(`job ${name}: config.xml's root <${root.name}> is neither <project> (freestyle) nor <flow-definition> (Pipeline)`);
    const job = this.jobs.get(name);
    if (job) job.config = configXml;
    else this.jobs.set(name, { name, config: configXml, builds: [] });
  }

  /** Trigger a build and wait for it (the `jenkins-build` step, without the throw). */
  async build(name: string, causes: any[] = [USER_CAUSE]): Promise<SimBuild> {
    return this.run(name, causes);
  }

  /**
   * Replay run `of` of a Pipeline job with `script` (its own script unchanged, when none is given:
   * the Rebuild), as ReplayAction.run2 does.
   */
  async replay(name: string, of: number, script?: string): Promise<SimBuild> {
    const original = this.jobs.get(name)?.builds.find((b) => b.number === of);
    if (!original) throw new Error(`Jenkins has no run ${name} #${of}`);
    if (original.script === undefined) throw new Error(`${name} #${of} is not a Pipeline run: it has no script to replay`);
    const rebuilt = script === undefined;
    const replayCause = { _class: REPLAY_CAUSE_CLASS, shortDescription: `${rebuilt ? 'Rebuilt' : 'Replayed'} #${of}` };
    return this.run(name, [USER_CAUSE, replayCause], script ?? original.script);
  }

  private async run(name: string, causes: any[], replacement?: string): Promise<SimBuild> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Jenkins has no job ${name}`);
    const root = parseXml(job.config);
    const number = (job.builds[job.builds.length - 1]?.number ?? 0) + 1;
    const cluster = this.deps.cluster();
    const build: SimBuild = { number, result: 'SUCCESS', timestamp: Date.parse(cluster.now()), duration: 0, log: '', causes: structuredClone(causes) };
    const workspace = mkdtempSync(join(tmpdir(), `cicd-lab-ws-${name}-`));
    const pod = `${platform.jenkins.agentLabel}-${(++this.podSeq).toString(36).padStart(5, '0')}`;
    const env: Record<string, string> = {
      BUILD_NUMBER: String(number),
      BUILD_ID: String(number),
      BUILD_DISPLAY_NAME: `#${number}`,
      BUILD_TAG: `jenkins-${name}-${number}`,
      BUILD_URL: `${JENKINS_URL}job/${name}/${number}/`,
      JOB_NAME: name,
      JOB_BASE_NAME: name,
      JOB_URL: `${JENKINS_URL}job/${name}/`,
      JENKINS_URL,
      WORKSPACE: workspace,
      NODE_NAME: pod,
      NODE_LABELS: `${pod} ${platform.jenkins.agentLabel}`,
      EXECUTOR_NUMBER: '0',
      HOME: mkdtempSync(join(tmpdir(), 'cicd-lab-home-')),
      LANG: 'C.UTF-8',
      SIM_POD: pod,
      // The build pod's containers have no PostgreSQL (the node container is the app's Alpine base),
      // so the app's database tests skip there as in a real build (labs/app/test/support/postgres.js
      // reads PG_BIN); this machine's PostgreSQL must not make the simulated build differ.
      PG_BIN: '/nonexistent',
      // The build pod's npm reaches the npm registry; here `npm ci` installs from the cache the test
      // command filled, and from nothing else (test/lib/app-packages.ts).
      ...OFFLINE_NPM_ENV,
    };
    try {
      if (root.name === 'project') await this.runFreestyle(root, build, env);
      else await this.runPipeline(root, build, env, replacement);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(env.HOME, { recursive: true, force: true });
    }
    build.duration = Date.parse(this.deps.cluster().now()) - build.timestamp;
    build.log += `Finished: ${build.result}\n`;
    job.builds.push(build);
    return build;
  }

  private agent(label: string | undefined, build: SimBuild): void {
    if (label !== platform.jenkins.agentLabel) {
      // On the platform the build would wait in the queue forever ("There are no nodes with the label").
      throw new Error(`build #${build.number} would wait forever: no agent has the label "${label ?? '(none)'}" (the platform's pod template is "${platform.jenkins.agentLabel}")`);
    }
  }

  /** The GitSCM checkout into the workspace, as the Git plugin does it (detached HEAD at the branch's head). */
  private checkout(scm: XmlElement | undefined, build: SimBuild, env: Record<string, string>, into = env.WORKSPACE): void {
    if (scm?.attributes.class !== 'hudson.plugins.git.GitSCM') throw new StepFailed(`no Git SCM configured`);
    const [url] = scmUrls(scm);
    const credentialsId = childText(scm, 'userRemoteConfigs', 'hudson.plugins.git.UserRemoteConfig', 'credentialsId');
    const branchSpec = childText(scm, 'branches', 'hudson.plugins.git.BranchSpec', 'name') ?? '**';
    this.gitCheckout(url, branchSpec.replace(/^\*\//, ''), credentialsId, build, env, into);
  }

  private gitCheckout(url: string | undefined, branch: string, credentialsId: string | undefined, build: SimBuild, env: Record<string, string>, into: string): void {
    const target = url && SimGitea.repoOf(url);
    build.log += `The recommended git tool is: NONE\n`;
    if (credentialsId && !this.credentials[credentialsId]) build.log += `Warning: CredentialId "${credentialsId}" could not be found.\n`;
    if (!target || !this.deps.gitea().has(target.repo)) throw new StepFailed(`ERROR: Error cloning remote repo 'origin'\nhudson.plugins.git.GitException: Command "git fetch --tags --force --progress -- ${url} +refs/heads/*:refs/remotes/origin/*" returned status code 128: repository not found`);
    const gitea = this.deps.gitea();
    const sha = gitea.resolve(target.repo, `refs/heads/${branch}`);
    if (!sha) throw new StepFailed(`ERROR: Couldn't find any revision to build. Verify the repository and branch configuration for this job.`);
    build.log += `Cloning repository ${url}\nChecking out Revision ${sha} (origin/${branch})\n`;
    git(into, ['clone', '-q', gitea.bare(target.repo), '.']);
    git(into, ['checkout', '-q', '--detach', sha]);
    git(into, ['remote', 'set-url', 'origin', url!]);
    build.revision ??= { sha, url: url! };
    env.GIT_COMMIT = sha;
    env.GIT_BRANCH = `origin/${branch}`;
    env.GIT_URL = url!;
  }

  private async sh(script: string, container: string, cwd: string, env: Record<string, string>, build: SimBuild): Promise<void> {
    const run = await this.deps.tools().run({ shell: script, cwd, env, container });
    build.log += `[${container}] + ${script.trim().split('\n').join('\n+ ')}\n${run.stdout}${run.stderr}`;
    this.deps.cluster().advance(2);
    if (run.exitCode !== 0) throw new StepFailed(`script returned exit code ${run.exitCode}`);
  }

  private async runFreestyle(root: XmlElement, build: SimBuild, env: Record<string, string>): Promise<void> {
    this.agent(childText(root, 'assignedNode'), build);
    for (const section of ['publishers', 'buildWrappers']) {
      if (child(root, section)?.children.length) throw new Error(`freestyle ${section} are not simulated (test/lib/sim-jenkins.ts)`);
    }
    try {
      if (child(root, 'scm')?.attributes.class !== 'hudson.scm.NullSCM' && child(root, 'scm')) this.checkout(child(root, 'scm'), build, env);
      for (const step of child(root, 'builders')?.children ?? []) {
        if (step.name !== 'hudson.tasks.Shell') throw new Error(`the build step ${step.name} is not simulated (only hudson.tasks.Shell, "Execute shell")`);
        await this.sh(child(step, 'command')?.text ?? '', 'jnlp', env.WORKSPACE, env, build);
      }
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      build.log += `${error.message}\nBuild step 'Execute shell' marked build as failure\n`;
      build.result = 'FAILURE';
    }
  }

  private async runPipeline(root: XmlElement, build: SimBuild, env: Record<string, string>, replacement?: string): Promise<void> {
    const definition = child(root, 'definition');
    const cls = definition?.attributes.class;
    let script: string;
    const stages: { name: string; run: () => Promise<void> }[] = [];
    if (replacement !== undefined) {
      // A Replay: the script given, not the job's; `checkout scm` still has the job's SCM.
      script = replacement;
      const scm = cls === SCM_DEFINITION ? child(definition, 'scm') : undefined;
      if (scm) stages.push({ name: 'Declarative: Checkout SCM', run: async () => this.checkout(scm, build, env) });
    } else if (cls === SCM_DEFINITION) {
      const scm = child(definition, 'scm');
      const [url] = scmUrls(scm);
      const target = url && SimGitea.repoOf(url);
      const branch = (childText(scm, 'branches', 'hudson.plugins.git.BranchSpec', 'name') ?? 'main').replace(/^\*\//, '');
      const path = childText(definition, 'scriptPath') ?? 'Jenkinsfile';
      const text = target ? this.deps.gitea().read(target.repo, `refs/heads/${branch}`, path) : undefined;
      if (text === undefined) {
        build.log += `ERROR: Unable to find ${path} from git ${url}\n`;
        build.result = 'FAILURE';
        build.stages = [];
        return;
      }
      script = text;
      stages.push({ name: 'Declarative: Checkout SCM', run: async () => this.checkout(scm, build, env) });
    } else if (cls === INLINE_DEFINITION) {
      script = child(definition, 'script')?.text ?? '';
    } else throw new Error(`the Pipeline definition ${cls} is not simulated`);

    build.script = script;
    let pipeline;
    try {
      pipeline = readPipeline(script);
    } catch (error) {
      if (error instanceof NotSimulated || !(error instanceof JenkinsfileError)) throw error;
      build.log += `org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:\nWorkflowScript: ${error.message}\n`;
      build.result = 'FAILURE';
      build.stages = [];
      return;
    }
    this.agent(pipeline.agentLabel, build);
    try {
      for (const e of pipeline.environment) env[e.name] = evaluate(e.value, env);
    } catch (error) {
      if (error instanceof NotSimulated || !(error instanceof JenkinsfileError)) throw error;
      build.log += `${error.message}\n`;
      build.result = 'FAILURE';
      build.stages = [];
      return;
    }
    for (const stage of pipeline.stages) stages.push({ name: stage.name, run: () => this.steps(stage.steps, 'jnlp', env.WORKSPACE, env, build) });

    build.stages = [];
    let failedAt = -1;
    let nodeId = 3;
    for (const [i, stage] of stages.entries()) {
      const start = Date.parse(this.deps.cluster().now());
      let status: StageRun['status'] = 'SUCCESS';
      if (failedAt < 0) {
        build.log += `[Pipeline] { (${stage.name})\n`;
        try {
          await stage.run();
        } catch (error) {
          if (!(error instanceof StepFailed)) throw error;
          build.log += `ERROR: ${error.message}\n`;
          status = 'FAILED';
          failedAt = i;
          build.result = 'FAILURE';
        }
        build.log += `[Pipeline] }\n`;
      } else {
        build.log += `Stage "${stage.name}" skipped due to earlier failure(s)\n`;
      }
      nodeId += 4;
      build.stages.push({ id: String(nodeId), name: stage.name, status, startTimeMillis: start, durationMillis: Date.parse(this.deps.cluster().now()) - start + 5 });
    }
    // wfapi: a stage skipped after a failure has no failed step, so it reports SUCCESS; the last
    // stage takes the run's status (pipeline-stage-view-plugin RunExt.computeTimings).
    if (failedAt >= 0) build.stages[build.stages.length - 1].status = 'FAILED';
  }

  private async steps(steps: Step[], container: string, cwd: string, env: Record<string, string>, build: SimBuild): Promise<void> {
    // A Groovy error at run time (an unknown property in a GString) fails the step, as in Jenkins.
    const value = (v: GValue, line: number) => {
      try {
        return evaluate(v, env, line);
      } catch (error) {
        if (error instanceof NotSimulated || !(error instanceof JenkinsfileError)) throw error;
        throw new StepFailed(error.message);
      }
    };
    for (const step of steps) {
      if ('sh' in step) await this.sh(value(step.sh, step.line), container, cwd, env, build);
      else if ('echo' in step) build.log += `${value(step.echo, step.line)}\n`;
      else if ('container' in step) {
        if (!CONTAINERS[step.container] || step.container === 'host') throw new StepFailed(`container [${step.container}] does not exist in pod [${env.NODE_NAME}]`);
        await this.steps(step.steps, step.container, cwd, env, build);
      } else if ('dir' in step) await this.steps(step.steps, container, resolve(cwd, step.dir), env, build);
      else if ('git' in step) this.gitCheckout(step.git.url, step.git.branch, step.git.credentialsId, build, env, cwd);
      else if ('withCredentials' in step) {
        const bound = { ...env };
        for (const b of step.withCredentials) {
          const c = this.credentials[b.credentialsId];
          if (!c) throw new StepFailed(`Could not find credentials entry with ID '${b.credentialsId}'`);
          bound[b.usernameVariable] = c.username;
          bound[b.passwordVariable] = c.password;
        }
        await this.steps(step.steps, container, cwd, bound, build);
      }
    }
  }

  // --- REST answers --------------------------------------------------------------------------

  private buildRef(job: SimJob, b: SimBuild | undefined) {
    return b ? { _class: this.isPipeline(job) ? WORKFLOW_RUN : FREESTYLE_BUILD, number: b.number, url: `${JENKINS_URL}job/${job.name}/${b.number}/` } : null;
  }

  private isPipeline(job: SimJob): boolean {
    return parseXml(job.config).name === 'flow-definition';
  }

  /** GET /job/NAME/api/json */
  jobJson(name: string): any {
    const job = this.jobs.get(name)!;
    const builds = [...job.builds].reverse();
    const last = (f: (b: SimBuild) => boolean) => this.buildRef(job, builds.find(f));
    const lastBuild = builds[0];
    const root = parseXml(job.config);
    const common = {
      _class: this.isPipeline(job) ? WORKFLOW_JOB : FREESTYLE_JOB,
      actions: [{}, {}, { _class: 'org.jenkinsci.plugins.displayurlapi.actions.JobDisplayAction' }],
      description: childText(root, 'description') ?? '',
      displayName: name,
      displayNameOrNull: null,
      fullDisplayName: name,
      fullName: name,
      name,
      url: `${JENKINS_URL}job/${name}/`,
      buildable: true,
      builds: builds.map((b) => this.buildRef(job, b)),
      color: !lastBuild ? 'notbuilt' : lastBuild.result === 'SUCCESS' ? 'blue' : 'red',
      firstBuild: this.buildRef(job, job.builds[0]),
      healthReport: [],
      inQueue: false,
      keepDependencies: false,
      lastBuild: this.buildRef(job, lastBuild),
      lastCompletedBuild: last(() => true),
      lastFailedBuild: last((b) => b.result === 'FAILURE'),
      lastStableBuild: last((b) => b.result === 'SUCCESS'),
      lastSuccessfulBuild: last((b) => b.result === 'SUCCESS'),
      lastUnstableBuild: null,
      lastUnsuccessfulBuild: last((b) => b.result !== 'SUCCESS'),
      nextBuildNumber: (lastBuild?.number ?? 0) + 1,
      property: [],
      queueItem: null,
      concurrentBuild: false,
    };
    if (this.isPipeline(job)) return { ...common, disabled: false, resumeBlocked: false };
    return {
      ...common,
      disabled: false,
      downstreamProjects: [],
      labelExpression: childText(root, 'assignedNode') ?? null,
      scm: { _class: child(root, 'scm')?.attributes.class ?? 'hudson.scm.NullSCM' },
      upstreamProjects: [],
    };
  }

  /** GET /job/NAME/N/api/json */
  buildJson(name: string, b: SimBuild): any {
    const job = this.jobs.get(name)!;
    const pipeline = this.isPipeline(job);
    const actions: any[] = [{ _class: 'hudson.model.CauseAction', causes: structuredClone(b.causes) }];
    if (b.revision) {
      const branch = [{ SHA1: b.revision.sha, name: 'origin/main' }];
      actions.push({
        _class: 'hudson.plugins.git.util.BuildData',
        buildsByBranchName: { 'origin/main': { _class: 'hudson.plugins.git.util.Build', buildNumber: b.number, buildResult: null, marked: { SHA1: b.revision.sha, branch }, revision: { SHA1: b.revision.sha, branch } } },
        lastBuiltRevision: { SHA1: b.revision.sha, branch },
        remoteUrls: [b.revision.url],
        scmName: '',
      });
    }
    const previous = job.builds.filter((x) => x.number < b.number).pop();
    const next = job.builds.find((x) => x.number > b.number);
    const common = {
      _class: pipeline ? WORKFLOW_RUN : FREESTYLE_BUILD,
      actions,
      artifacts: [],
      building: false,
      description: null,
      displayName: `#${b.number}`,
      duration: b.duration,
      estimatedDuration: b.duration,
      executor: null,
      fullDisplayName: `${name} #${b.number}`,
      id: String(b.number),
      keepLog: false,
      number: b.number,
      queueId: b.number + 100,
      result: b.result,
      timestamp: b.timestamp,
      url: `${JENKINS_URL}job/${name}/${b.number}/`,
    };
    if (pipeline) return { ...common, changeSets: [], culprits: [], inProgress: false, nextBuild: this.buildRef(job, next), previousBuild: this.buildRef(job, previous) };
    return { ...common, builtOn: `${platform.jenkins.agentLabel}-${b.number}`, changeSet: { _class: 'hudson.plugins.git.GitChangeSetList', items: [], kind: 'git' }, culprits: [] };
  }

  /** GET /job/NAME/N/wfapi/describe (the Pipeline REST API's RunExt). */
  describe(name: string, b: SimBuild): any {
    const self = (path: string) => ({ self: { href: `/job/${name}/${path}` } });
    const stages = b.stages ?? [];
    const first = stages[0]?.startTimeMillis ?? b.timestamp;
    return {
      _links: self(`${b.number}/wfapi/describe`),
      id: String(b.number),
      name: `#${b.number}`,
      status: b.result === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
      startTimeMillis: b.timestamp,
      endTimeMillis: b.timestamp + b.duration,
      durationMillis: Math.max(0, b.duration - (first - b.timestamp)),
      queueDurationMillis: first - b.timestamp,
      pauseDurationMillis: 0,
      stages: stages.map((s) => ({
        _links: self(`${b.number}/execution/node/${s.id}/wfapi/describe`),
        id: s.id,
        name: s.name,
        execNode: '',
        status: s.status,
        startTimeMillis: s.startTimeMillis,
        durationMillis: s.durationMillis,
        pauseDurationMillis: 0,
      })),
    };
  }

  /** What the collector saves for a job (src/collect/jenkins.ts), or undefined when it has none. */
  record(name: string): JenkinsJobRecord | undefined {
    const job = this.jobs.get(name);
    if (!job) return undefined;
    const completed = job.builds[job.builds.length - 1];
    const successful = [...job.builds].reverse().find((b) => b.result === 'SUCCESS');
    const record: JenkinsJobRecord = {
      job: this.jobJson(name),
      lastCompletedBuild: completed ? this.buildJson(name, completed) : null,
      lastSuccessfulBuild: successful ? this.buildJson(name, successful) : null,
      config: job.config,
    };
    if (this.isPipeline(job)) record.stages = completed ? this.describe(name, completed) : null;
    return record;
  }

  builds(name: string): SimBuild[] {
    return this.jobs.get(name)?.builds ?? [];
  }

  /** Read a job config.xml file of this repository. */
  static configFile(path: string): string {
    return readFileSync(join(ROOT, path), 'utf8');
  }
}

