import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectGit } from '../../src/collect/gitea.js';
import { collectJenkins, FREESTYLE_JOB, WORKFLOW_JOB } from '../../src/collect/jenkins.js';
import { collectRegistry } from '../../src/collect/registry.js';
import { request } from '../../src/http.js';
import { closedPort, startFakeHttp, type Answer, type FakeHttp } from '../lib/fake-http.js';
import { needsPackages } from '../lib/os-packages.js';
import { tryRun, which } from '../lib/tools.js';
import { tempDir } from '../lib/temp.js';

describe('the Jenkins collector, against a stand-in Jenkins', () => {
  let jenkins: FakeHttp;
  const auth = { user: 'admin', password: 'api-token' };
  const pages: Record<string, unknown> = {
    '/job/hello-pipeline/api/json': { _class: WORKFLOW_JOB, name: 'hello-pipeline', lastCompletedBuild: { number: 7 } },
    '/job/hello-pipeline/lastCompletedBuild/api/json': { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun', number: 7, result: 'SUCCESS', building: false },
    '/job/hello-pipeline/lastSuccessfulBuild/api/json': { number: 7, result: 'SUCCESS' },
    '/job/hello-pipeline/config.xml': '<flow-definition><definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition"/></flow-definition>',
    '/job/hello-pipeline/7/wfapi/describe': { id: '7', status: 'SUCCESS', stages: [{ name: 'Build', status: 'SUCCESS' }] },
    '/job/hello-freestyle/api/json': { _class: FREESTYLE_JOB, name: 'hello-freestyle' },
    '/job/hello-freestyle/config.xml': '<project/>',
  };
  beforeAll(async () => {
    jenkins = await startFakeHttp((req): Answer => {
      if (req.headers.authorization !== `Basic ${Buffer.from('admin:api-token').toString('base64')}`) return { status: 403, body: 'no' };
      return req.path in pages ? { status: 200, body: pages[req.path] } : { status: 404, body: 'not found' };
    });
  });
  afterAll(() => jenkins.close());

  it('reads each job with GETs only: job, last completed and successful builds, config.xml, and stages for pipelines', async () => {
    jenkins.requests.length = 0;
    const { jobs, unavailable } = await collectJenkins(['hello-pipeline', 'hello-freestyle', 'missing-job'], { url: jenkins.url, auth });
    expect(unavailable).toEqual([]);
    expect(jenkins.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(jobs['hello-pipeline']).toEqual({
      job: pages['/job/hello-pipeline/api/json'],
      lastCompletedBuild: pages['/job/hello-pipeline/lastCompletedBuild/api/json'],
      lastSuccessfulBuild: pages['/job/hello-pipeline/lastSuccessfulBuild/api/json'],
      config: pages['/job/hello-pipeline/config.xml'],
      stages: pages['/job/hello-pipeline/7/wfapi/describe'],
    });
    // A freestyle job with no builds yet: nulls, and no stage-view request.
    expect(jobs['hello-freestyle']).toEqual({ job: pages['/job/hello-freestyle/api/json'], lastCompletedBuild: null, lastSuccessfulBuild: null, config: '<project/>' });
    expect(jenkins.requests.some((r) => r.path.includes('hello-freestyle') && r.path.includes('wfapi'))).toBe(false);
    expect(jobs).not.toHaveProperty('missing-job');
  });

  it('records a refused login as Jenkins being unavailable, with what to do', async () => {
    const { jobs, unavailable } = await collectJenkins(['hello-pipeline'], { url: jenkins.url, auth: { user: 'admin', password: 'wrong' } });
    expect(jobs).toEqual({});
    expect(unavailable[0].message).toContain('refused the kit\'s login');
    expect(unavailable[0].message).toContain('npm run status');
  });

  it('records an unreachable Jenkins once, not once per job', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { unavailable } = await collectJenkins(['a', 'b'], { url, auth });
    expect(unavailable).toEqual([{ source: 'jenkins', what: '*', message: `cannot reach Jenkins at ${url}: connection refused; is the platform up? (\`npm run status\`)` }]);
  });
});

describe('the Gitea collector, against a stand-in Gitea', () => {
  it('maps each branch to its commit, following pages, and leaves out a repository that does not exist', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `feature-${i}`, commit: { id: `f${i}` } }));
    const gitea = await startFakeHttp((req) => {
      if (req.path === '/api/v1/repos/lab/hello-app/branches?page=1&limit=50') return { status: 200, body: many };
      if (req.path === '/api/v1/repos/lab/hello-app/branches?page=2&limit=50') return { status: 200, body: [{ name: 'main', commit: { id: 'abc123' } }] };
      return { status: 404, body: {} };
    });
    try {
      const { repositories, unavailable } = await collectGit(['lab/hello-app', 'lab/nope'], { url: gitea.url });
      expect(unavailable).toEqual([]);
      expect(repositories['lab/hello-app'].branches.main).toBe('abc123');
      expect(Object.keys(repositories['lab/hello-app'].branches)).toHaveLength(51);
      expect(repositories).not.toHaveProperty('lab/nope');
      expect(gitea.requests.every((r) => r.method === 'GET')).toBe(true);
    } finally {
      await gitea.close();
    }
  });
});

/**
 * The registry collector against the real CNCF distribution registry (Debian's docker-registry),
 * with images built and pushed by Buildah without a daemon — the build step the labs teach.
 */
const registryBin = which('docker-registry');
const missing = needsPackages('docker-registry', 'buildah');

describe.skipIf(Boolean(missing))(`the registry collector, against a real registry with images pushed by Buildah${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: ChildProcess;
  let url: string;
  let host: string;
  const work = tempDir('registry');
  // Daemonless and unprivileged-friendly, as in a build pod: vfs storage, chroot isolation.
  const run = (args: string[]) => {
    const r = tryRun('buildah', ['--root', join(work, 'root'), '--runroot', join(work, 'runroot'), '--storage-driver', 'vfs', ...args]);
    if (r.status !== 0) throw new Error(`buildah ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    const port = await closedPort();
    host = `127.0.0.1:${port}`;
    url = `http://${host}`;
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, 'config.yml'), `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\nhttp:\n  addr: ${host}\n`);
    registry = spawn(registryBin!, ['serve', join(work, 'config.yml')], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const up = await request(`${url}/v2/`).then((r) => r.status === 200, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the registry did not answer at ${url}/v2/ within 15 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    mkdirSync(join(work, 'ctx'));
    writeFileSync(join(work, 'ctx', 'version.txt'), 'l1\n');
    writeFileSync(join(work, 'ctx', 'Containerfile'), 'FROM scratch\nCOPY version.txt /\n');
    run(['bud', '--isolation', 'chroot', '-q', '-t', `${host}/hello-app:l1-1`, join(work, 'ctx')]);
    run(['tag', `${host}/hello-app:l1-1`, `${host}/hello-app:l1-2`]);
    run(['push', '--tls-verify=false', `${host}/hello-app:l1-1`]);
    run(['push', '--tls-verify=false', `${host}/hello-app:l1-2`]);
  }, 120_000);
  afterAll(() => registry?.kill());

  it('lists the tags Buildah pushed, and no tags for a repository that does not exist', async () => {
    const { repositories, unavailable } = await collectRegistry(['hello-app', 'never-pushed'], url);
    expect(unavailable).toEqual([]);
    expect(repositories['hello-app'].sort()).toEqual(['l1-1', 'l1-2']);
    expect(repositories['never-pushed']).toEqual([]);
  });

  it('records a registry that does not answer as unavailable', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const { repositories, unavailable } = await collectRegistry(['hello-app'], down);
    expect(repositories).toEqual({});
    expect(unavailable[0]).toEqual({ source: 'registry', what: 'hello-app', message: `cannot read the tags of hello-app from the registry at ${down}: connection refused` });
  });
});
