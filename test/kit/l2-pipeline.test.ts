import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l2-pipeline.test.js';
import { ROOT } from '../../src/paths.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot.js';
import { grade, statuses, withStatus } from '../lib/lab-states.js';
import { LAB_REPO, SimGitea } from '../lib/sim-gitea.js';
import { SimPlatform } from '../lib/sim-platform.js';

const NS = 'l2-pipeline';
const JOB = 'hello-pipeline';
const solutionJenkinsfile = readFileSync(join(ROOT, 'solutions/l2-pipeline/Jenkinsfile'), 'utf8');
const own: SimPlatform[] = [];
const fork = (p: SimPlatform) => {
  const f = p.fork();
  own.push(f);
  return f;
};

/** The job as "Pipeline script": the script stored in config.xml (CpsFlowDefinition). */
const inlineJob = (script: string) =>
  `<?xml version='1.1' encoding='UTF-8'?><flow-definition plugin="workflow-job"><definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps"><script>${script.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</script><sandbox>true</sandbox></definition></flow-definition>`;

describe('l2-pipeline on a simulated platform built from the real files', () => {
  let starter: SimPlatform;
  let solution: SimPlatform;
  beforeAll(async () => {
    starter = await SimPlatform.create().start('l2-pipeline');
    solution = await SimPlatform.create().solve('l2-pipeline');
    own.push(starter, solution);
  });
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  it('the starter (no job yet) fails all four checks', () => {
    expect(withStatus(starter.grade(grader), 'fail')).toEqual(['job', 'stages', 'build', 'deploy']);
  });

  it('the skeleton Jenkinsfile of labs/app runs, with only its Build stage: it fails stages and deploy', async () => {
    const p = fork(starter);
    p.jenkins.putJob(JOB, readFileSync(join(ROOT, 'solutions/l2-pipeline/config.xml'), 'utf8'));
    await p.mustBuild(JOB);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['stages', 'deploy']);
    expect(result.checks.find((c) => c.id === 'stages')!.observed).toMatchObject({ en: expect.stringContaining('Declarative: Checkout SCM SUCCESS → Build SUCCESS (no stage named Container Build)') });
  });

  it('the solution (Jenkinsfile pushed to Gitea, job from SCM, one run) passes all four', () => {
    expect(statuses(solution.grade(grader))).toEqual({ job: 'pass', stages: 'pass', build: 'pass', deploy: 'pass' });
    expect(solution.jenkins.builds(JOB)[0].stages!.map((s) => s.name)).toEqual(['Declarative: Checkout SCM', 'Build', 'Container Build', 'Deploy']);
  });

  it('the same pipeline as an inline script (with its own checkout) fails job only', async () => {
    const p = fork(solution);
    const script = solutionJenkinsfile.replace(
      '  stages {\n',
      `  stages {\n    stage('Checkout') {\n      steps {\n        git url: '${SimGitea.url(LAB_REPO)}', branch: 'main', credentialsId: 'gitea'\n      }\n    }\n`,
    );
    p.jenkins.putJob(JOB, inlineJob(script));
    await p.mustBuild(JOB);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['job']);
    expect(result.checks[0].observed).toEqual({ ko: '작업 안에 저장된 스크립트(Pipeline script, CpsFlowDefinition)', en: 'a script stored in the job (Pipeline script, CpsFlowDefinition)' });
  });

  it('stages in another order (Container Build before Build) fail stages only', async () => {
    const p = fork(solution);
    const build = /    \/\/ region build\n[\s\S]*?    \/\/ endregion build\n/.exec(solutionJenkinsfile)![0];
    const containerBuild = /    \/\/ region container-build\n[\s\S]*?    \/\/ endregion container-build\n/.exec(solutionJenkinsfile)![0];
    p.gitea.write(LAB_REPO, { Jenkinsfile: solutionJenkinsfile.replace(build + containerBuild, containerBuild + build) }, 'build the image first');
    await p.mustBuild(JOB);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['stages']);
  });

  it('a failing stage after Deploy fails build, and deploy (the run deployed l2-2, the last success is #1), but not stages', async () => {
    const p = fork(solution);
    const smoke = solutionJenkinsfile.replace('    // endregion deploy\n', "    // endregion deploy\n    stage('Smoke Test') {\n      steps {\n        sh 'exit 1'\n      }\n    }\n");
    p.gitea.write(LAB_REPO, { Jenkinsfile: smoke }, 'a smoke test that fails');
    const run = await p.jenkins.build(JOB);
    expect(run.result).toBe('FAILURE');
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['build', 'deploy']);
  });

  it('a failed stage reports FAILED in the stage view; the stages skipped after it report SUCCESS, the last one the run\'s FAILED (as the Stage View REST API does)', async () => {
    const p = fork(solution);
    p.gitea.write(LAB_REPO, { Jenkinsfile: solutionJenkinsfile.replace("sh 'npm test'", "sh 'npm test && exit 3'") }, 'a failing Build');
    const run = await p.jenkins.build(JOB);
    expect(run.result).toBe('FAILURE');
    const stages = p.snapshot([grader]).jenkins!.jobs![JOB].stages.stages.map((s: any) => `${s.name} ${s.status}`);
    expect(stages).toEqual(['Declarative: Checkout SCM SUCCESS', 'Build FAILED', 'Container Build SUCCESS', 'Deploy FAILED']);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['stages', 'build']);
  });

  it('a Deployment set back to v1 by hand fails deploy only', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', NS, 'hello-app', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v1'));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['deploy']);
  });

  it('a Replay of the run with its script edited in Jenkins is not a run from SCM: job, stages, build and deploy fail', async () => {
    const p = fork(solution);
    // The edit a learner makes in the Replay page instead of committing: an extra echo, say.
    const edited = solutionJenkinsfile.replace("sh 'npm test'", "sh 'npm test'\n          echo 'edited in the Replay page'");
    const run = await p.jenkins.replay(JOB, 1, edited);
    expect(run.result).toBe('SUCCESS');
    const build = p.snapshot([grader]).jenkins!.jobs![JOB].lastCompletedBuild;
    expect(build.actions[0]).toEqual({
      _class: 'hudson.model.CauseAction',
      causes: [expect.objectContaining({ _class: 'hudson.model.Cause$UserIdCause' }), { _class: 'org.jenkinsci.plugins.workflow.cps.replay.ReplayCause', shortDescription: 'Replayed #1' }],
    });
    const result = p.grade(grader);
    // What the graders read of the Replay survives a saved snapshot.
    expect(grade(grader, parseSnapshot(serializeSnapshot(p.snapshot([grader]), 'yaml'), 'replay.yaml'))).toEqual(result);
    // deploy too: the Deployment runs l2-2, the Replay's tag; no run from SCM made it.
    expect(withStatus(result, 'fail')).toEqual(['job', 'stages', 'build', 'deploy']);
    expect((result.checks.find((c) => c.id === 'stages')!.observed as { en: string }).en).toBe(
      `run #2 is a Replay (Replayed #1): its script was given in Jenkins, not read from ${LAB_REPO}`,
    );
    expect(result.checks.find((c) => c.id === 'stages')!.hint!.en).toContain('Build Now');
  });

  it('a failed Replay after a good run from SCM fails job, stages and build; deploy still holds with l2-1', async () => {
    const p = fork(solution);
    const run = await p.jenkins.replay(JOB, 1, solutionJenkinsfile.replace("sh 'npm test'", "sh 'exit 1'"));
    expect(run.result).toBe('FAILURE');
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['job', 'stages', 'build']);
  });

  it('a Rebuild (the same script run again) is a Replay too; a new run from SCM afterwards passes all four', async () => {
    const p = fork(solution);
    await p.jenkins.replay(JOB, 1);
    const rebuilt = p.grade(grader);
    expect(withStatus(rebuilt, 'fail')).toEqual(['job', 'stages', 'build', 'deploy']);
    expect((rebuilt.checks[1].observed as { en: string }).en).toContain('Rebuilt #1');
    await p.mustBuild(JOB);
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('a run started by an SCM change (not by a person) counts like any run from SCM', async () => {
    const p = fork(solution);
    await p.jenkins.build(JOB, [{ _class: 'hudson.triggers.SCMTrigger$SCMTriggerCause', shortDescription: 'Started by an SCM change' }]);
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('stages out of place: Build moved after Deploy is named as the stage out of place, not its neighbour', async () => {
    const p = fork(solution);
    const build = /    \/\/ region build\n[\s\S]*?    \/\/ endregion build\n/.exec(solutionJenkinsfile)![0];
    const reordered = solutionJenkinsfile.replace(build, '').replace('    // endregion deploy\n', `    // endregion deploy\n${build}`);
    p.gitea.write(LAB_REPO, { Jenkinsfile: reordered }, 'build last');
    await p.jenkins.build(JOB);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['stages']);
    expect((result.checks[1].observed as { en: string }).en).toMatch(/\(stage Build runs after Deploy; it belongs before Container Build\)$/);
  });

  it('hello-app scaled to 0 fails deploy only: nothing runs the tag', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', NS, 'hello-app', (d) => void (d.spec.replicas = 0));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['deploy']);
  });

  it('a job whose SCM is another repository fails job only', async () => {
    const p = fork(solution);
    p.jenkins.putJob(JOB, readFileSync(join(ROOT, 'solutions/l2-pipeline/config.xml'), 'utf8').replace('/lab/hello-app.git', '/lab/other.git'));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['job']);
  });
});
