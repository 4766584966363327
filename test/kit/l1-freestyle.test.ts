import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l1-freestyle.test.js';
import { ROOT } from '../../src/paths.js';
import { child, parseXml } from '../../src/xml.js';
import { statuses, withStatus } from '../lib/lab-states.js';
import { LAB_REPO, SimGitea } from '../lib/sim-gitea.js';
import { SimPlatform } from '../lib/sim-platform.js';

const NS = 'l1-freestyle';
const JOB = 'hello-freestyle';
const own: SimPlatform[] = [];
const fork = (p: SimPlatform) => {
  const f = p.fork();
  own.push(f);
  return f;
};

describe('l1-freestyle on a simulated platform built from the real files', () => {
  let starter: SimPlatform;
  let solution: SimPlatform;
  beforeAll(async () => {
    starter = await SimPlatform.create().start('l1-freestyle');
    solution = await SimPlatform.create().solve('l1-freestyle');
    own.push(starter, solution);
  });
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  it('the starter (hello-app v1, no job yet) fails all four checks', () => {
    expect(withStatus(starter.grade(grader), 'fail')).toEqual(['job', 'build', 'image', 'deploy']);
    expect(starter.cluster.must('Deployment', NS, 'hello-app').spec.template.spec.containers[0].image).toBe('kind-registry:5000/hello-app:v1');
  });

  it('the solution (the job from solutions/l1-freestyle/config.xml, one build) passes all four', () => {
    expect(statuses(solution.grade(grader))).toEqual({ job: 'pass', build: 'pass', image: 'pass', deploy: 'pass' });
    const [build] = solution.jenkins.builds(JOB);
    expect(build.log).toContain('npm test');
    expect(solution.registry.tags('hello-app')).toContain('l1-1');
  });

  it('a Pipeline named hello-freestyle that does the same work fails job only', async () => {
    const p = fork(starter);
    const config = parseXml(readFileSync(join(ROOT, 'solutions/l1-freestyle/config.xml'), 'utf8'));
    const steps = child(config, 'builders')!.children.map((b) => child(b, 'command')!.text);
    const script = `pipeline {
  agent { label 'lab-builder' }
  stages {
    stage('All') {
      steps {
        git url: '${SimGitea.url(LAB_REPO)}', branch: 'main', credentialsId: 'gitea'
${steps.map((s) => `        sh '''${s.replace(/\\/g, '\\\\')}'''`).join('\n')}
      }
    }
  }
}`;
    p.jenkins.putJob(JOB, `<?xml version='1.1' encoding='UTF-8'?><flow-definition plugin="workflow-job"><definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps"><script>${script.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</script><sandbox>true</sandbox></definition></flow-definition>`);
    await p.mustBuild(JOB);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['job']);
  });

  it('a failing build after a successful one fails build only: the image and the deployment stay those of the last success', async () => {
    const p = fork(solution);
    const pkg = JSON.parse(p.gitea.read(LAB_REPO, 'main', 'package.json')!);
    pkg.scripts = { ...pkg.scripts, test: 'echo "1 test failed" && exit 1' };
    p.gitea.write(LAB_REPO, { 'package.json': `${JSON.stringify(pkg, null, 2)}\n` }, 'break the tests');
    const build = await p.jenkins.build(JOB);
    expect(build.result).toBe('FAILURE');
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['build']);
    expect(result.checks.find((c) => c.id === 'build')!.observed).toBe(`#2 FAILURE (http://jenkins.localhost:8080/job/${JOB}/2/)`);
  });

  it('a registry without the tag of the last successful build fails image only', () => {
    const p = fork(solution);
    p.registry.remove('hello-app', 'l1-1');
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['image']);
  });

  it('a Deployment set back to v1 by hand fails deploy only', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', NS, 'hello-app', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v1'));
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['deploy']);
    expect(result.checks.find((c) => c.id === 'deploy')!.observed).toEqual({ ko: '이미지 kind-registry:5000/hello-app:v1', en: 'image kind-registry:5000/hello-app:v1' });
  });

  it('hello-app scaled to 0 fails deploy only: a Deployment that runs nothing does not run l1-1', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', NS, 'hello-app', (d) => void (d.spec.replicas = 0));
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['deploy']);
    expect(result.checks.find((c) => c.id === 'deploy')!.observed).toContain('scaled to 0');
  });

  it('the l1-1 image with APP_VERSION set to another version fails deploy only, with its own message', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', NS, 'hello-app', (d) => void (d.spec.template.spec.containers[0].env = [{ name: 'APP_VERSION', value: 'v2' }]));
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['deploy']);
    expect((result.checks.find((c) => c.id === 'deploy')!.observed as { en: string }).en).toBe('image kind-registry:5000/hello-app:l1-1 (version l1-1) with APP_VERSION=v2: the image tag decides the version');
  });

  it('a job whose deploy step names a tag that was never pushed fails its build at the rollout (ImagePullBackOff), so deploy fails too', async () => {
    const p = fork(starter);
    const config = readFileSync(join(ROOT, 'solutions/l1-freestyle/config.xml'), 'utf8').replace('set image deployment/hello-app hello-app="kind-registry:5000/hello-app:l1-${BUILD_NUMBER}"', 'set image deployment/hello-app hello-app="kind-registry:5000/hello-app:latest"');
    p.jenkins.putJob(JOB, config.replace('--timeout=180s', '--timeout=20s'));
    const build = await p.jenkins.build(JOB);
    expect(build.result).toBe('FAILURE');
    expect(build.log).toContain('timed out');
    expect(statuses(p.grade(grader))).toMatchObject({ job: 'pass', build: 'fail', deploy: 'fail' });
  });
});

