import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { runSteps } from '../../src/lifecycle.js';
import { writeCredentials } from '../../scripts/lib/credentials.js';
import { liveRunner, type Runner } from '../../scripts/lib/exec.js';
import { LiveExecutor } from '../../scripts/lib/executor.js';
import { collectFiles, gitBlobSha, planChanges } from '../../scripts/lib/gitea.js';
import { JenkinsClient, JenkinsError, normalizeXml } from '../../scripts/lib/jenkins.js';
import { DeadlineExceeded } from '../../src/wait.js';
import { startFakeGitea, startFakeJenkins } from '../lib/fake-services.js';
import { tempDir } from '../lib/temp.js';

const JOB_XML = `<?xml version='1.1' encoding='UTF-8'?>\n<flow-definition plugin="workflow-job">\n  <description>lab</description>\n</flow-definition>\n`;
const quiet = () => {};

let credsFile: string;
beforeEach(() => {
  credsFile = join(tempDir('creds'), 'credentials.json');
  process.env.LAB_CREDENTIALS_FILE = credsFile;
});
// Test files share their worker's process (isolate: false): leave the environment as found.
afterEach(() => void delete process.env.LAB_CREDENTIALS_FILE);

describe('the live executor\'s Jenkins steps, against a stand-in Jenkins that enforces CSRF', () => {
  let jenkins: Awaited<ReturnType<typeof startFakeJenkins>>;
  beforeAll(async () => {
    jenkins = await startFakeJenkins({ user: 'admin', password: 'pw', token: 'tok' });
  });
  afterAll(() => jenkins.close());

  const executor = (token?: string) => {
    writeCredentials({ jenkins: { user: 'admin', password: 'pw', ...(token ? { token } : {}) }, gitea: { user: 'g', password: 'g' } }, credsFile);
    return new LiveExecutor({ context: 'kind-cicd-lab', env: { JENKINS_URL: jenkins.url }, log: quiet, buildTimeoutMs: 10_000 });
  };

  it('jenkins-job creates the job with createItem, sending the crumb and the session cookie with a password', async () => {
    const before = jenkins.requests.length;
    await executor().jenkinsJob('hello-pipeline', writeTemp('config.xml', JOB_XML));
    const reqs = jenkins.requests.slice(before);
    expect(reqs.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /job/hello-pipeline/config.xml', 'GET /crumbIssuer/api/json', 'POST /createItem?name=hello-pipeline']);
    const create = reqs[2];
    expect(create.headers['jenkins-crumb']).toBe('crumb-7f3a');
    expect(create.headers.cookie).toContain('JSESSIONID.a1b2=node0abc');
    expect(create.headers['content-type']).toBe('application/xml');
    expect(jenkins.jobs.get('hello-pipeline')).toBe(JOB_XML);
  });

  it('jenkins-job leaves an identical job alone and updates a changed one through config.xml', async () => {
    const before = jenkins.requests.length;
    await executor().jenkinsJob('hello-pipeline', writeTemp('config.xml', JOB_XML.replace("version='1.1'", "version='1.0'")));
    expect(jenkins.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    const changed = JOB_XML.replace('<description>lab</description>', '<description>changed</description>');
    await executor().jenkinsJob('hello-pipeline', writeTemp('config.xml', changed));
    expect(jenkins.requests.at(-1)).toMatchObject({ method: 'POST', path: '/job/hello-pipeline/config.xml' });
    expect(jenkins.jobs.get('hello-pipeline')).toBe(changed);
  });

  it('with an API token, POSTs carry no crumb and Jenkins accepts them', async () => {
    const before = jenkins.requests.length;
    await executor('tok').jenkinsJob('hello-freestyle', writeTemp('config.xml', JOB_XML));
    const reqs = jenkins.requests.slice(before);
    expect(reqs.some((r) => r.path.startsWith('/crumbIssuer'))).toBe(false);
    expect(reqs.at(-1)!.headers['jenkins-crumb']).toBeUndefined();
    expect(jenkins.jobs.has('hello-freestyle')).toBe(true);
  });

  it('a stand-in that gets no session cookie refuses the POST (so the test above can fail)', async () => {
    const res = await fetch(`${jenkins.url}/createItem?name=x`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}`, 'jenkins-crumb': 'crumb-7f3a', 'content-type': 'application/xml' }, body: JOB_XML });
    expect(res.status).toBe(403);
  });

  it('jenkins-build triggers, follows the queue item to the build and waits until it ends SUCCESS', async () => {
    const lines: string[] = [];
    writeCredentials({ jenkins: { user: 'admin', password: 'pw' } }, credsFile);
    await new LiveExecutor({ context: 'kind-cicd-lab', env: { JENKINS_URL: jenkins.url }, log: (l) => lines.push(l), pollIntervalMs: 20 }).jenkinsBuild('hello-pipeline');
    const paths = jenkins.requests.map((r) => `${r.method} ${r.path}`);
    const trigger = paths.lastIndexOf('POST /job/hello-pipeline/build');
    expect(paths.slice(trigger)).toEqual([
      'POST /job/hello-pipeline/build',
      'GET /queue/item/1/api/json',
      'GET /queue/item/1/api/json',
      'GET /job/hello-pipeline/1/api/json',
      'GET /job/hello-pipeline/1/api/json',
    ]);
    expect(lines.at(-1)).toBe(`  hello-pipeline #1: SUCCESS (${jenkins.url}/job/hello-pipeline/1/console)`);
  });

  it('fails a build that does not succeed, naming its result and console URL', async () => {
    const failing = await startFakeJenkins({ user: 'admin', password: 'pw', result: 'FAILURE', queuePolls: 0, buildPolls: 0 });
    const client = new JenkinsClient(failing.url, { user: 'admin', password: 'pw' });
    await client.upsertJob('broken', JOB_XML);
    const error = await client.build('broken', { intervalMs: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(JenkinsError);
    expect(error.message).toBe(`Jenkins build broken #1 ended FAILURE: read its log at ${failing.url}/job/broken/1/console`);
    await failing.close();
  });

  it('names a build by the address Jenkins is configured with (a codespace\'s forwarded port), while it calls the API where the kit reaches it', async () => {
    const forwarded = 'https://lab-space-8081.app.github.dev/';
    const remote = await startFakeJenkins({ user: 'admin', password: 'pw', token: 'tok', result: 'FAILURE', queuePolls: 0, buildPolls: 0, rootUrl: forwarded });
    const client = new JenkinsClient(remote.url, { user: 'admin', password: 'pw', token: 'tok' });
    await client.upsertJob('hello-pipeline', JOB_XML);
    const lines: string[] = [];
    const error = await client.build('hello-pipeline', { intervalMs: 1, log: (l) => lines.push(l) }).catch((e) => e);
    expect(lines).toEqual([`hello-pipeline #1: ${forwarded}job/hello-pipeline/1/console`]);
    expect(error.message).toBe(`Jenkins build hello-pipeline #1 ended FAILURE: read its log at ${forwarded}job/hello-pipeline/1/console`);
    expect(error.consoleUrl).toBe(`${forwarded}job/hello-pipeline/1/console`);
    // The build's result was still read where the kit reaches Jenkins, not at the forwarded address.
    expect(remote.requests.map((r) => r.path)).toContain('/job/hello-pipeline/1/api/json');
    await remote.close();
  });

  it('stops waiting at the deadline and says what it last saw', async () => {
    const stuck = await startFakeJenkins({ user: 'admin', password: 'pw', queuePolls: 1000 });
    const client = new JenkinsClient(stuck.url, { user: 'admin', password: 'pw' });
    await client.upsertJob('slow', JOB_XML);
    let now = 0;
    const error = await client.build('slow', { timeoutMs: 10_000, intervalMs: 2000, now: () => now, pause: async (ms) => void (now += ms) }).catch((e) => e);
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error.message).toBe('Jenkins build of slow to leave the queue: not ready after 10s (last seen: Waiting for next available executor on ‘lab-builder’)');
    await stuck.close();
  });

  it('generates an API token with the password (crumb and session) for up to save', async () => {
    const token = await new JenkinsClient(jenkins.url, { user: 'admin', password: 'pw' }).generateToken('cicd-lab');
    expect(token).toBe('generated-token');
    expect(jenkins.requests.at(-1)!.body).toBe('newTokenName=cicd-lab');
  });

  it('compares job definitions regardless of the XML declaration and whitespace', () => {
    expect(normalizeXml(`<?xml version='1.1'?>\n<a>\n  <b/>\n</a>`)).toBe(normalizeXml('<a><b/></a>'));
  });
});

describe('the live executor\'s git-push step, against a stand-in Gitea API', () => {
  let gitea: Awaited<ReturnType<typeof startFakeGitea>>;
  beforeAll(async () => {
    gitea = await startFakeGitea({ user: 'lab-admin', password: 'gpw' });
    gitea.orgs.add('lab');
    gitea.repos.set('lab/hello-app', new Map([['README.md', Buffer.from('# hello-app\n')], ['deploy/old.yaml', Buffer.from('old')]]));
  });
  afterAll(() => gitea.close());

  const executor = () => {
    writeCredentials({ gitea: { user: 'lab-admin', password: 'gpw' } }, credsFile);
    return new LiveExecutor({ context: 'kind-cicd-lab', env: { GITEA_URL: gitea.url }, log: quiet });
  };

  it('commits the mapped files to main in one commit, mirroring a mapped folder and leaving other paths alone', async () => {
    const src = (mkdirSync(join(ROOT, '.lab'), { recursive: true }), mkdtempSync(join(ROOT, '.lab', 'test-src-')));
    try {
      writeFileSync(join(src, 'Jenkinsfile'), "pipeline { agent { label 'lab-builder' } }\n");
      mkdirSync(join(src, 'deploy'));
      writeFileSync(join(src, 'deploy', 'app.yaml'), 'kind: Deployment\n');
      const rel = src.slice(ROOT.length + 1);
      await executor().gitPush('lab/hello-app', { Jenkinsfile: `${rel}/Jenkinsfile`, deploy: `${rel}/deploy` }, 'Pipeline from SCM');
      expect(gitea.commits).toEqual([
        { repo: 'lab/hello-app', message: 'Pipeline from SCM', files: [{ operation: 'create', path: 'Jenkinsfile' }, { operation: 'create', path: 'deploy/app.yaml' }, { operation: 'delete', path: 'deploy/old.yaml' }] },
      ]);
      expect([...gitea.repos.get('lab/hello-app')!.keys()].sort()).toEqual(['Jenkinsfile', 'README.md', 'deploy/app.yaml']);
      // Pushing the same files again makes no commit.
      await executor().gitPush('lab/hello-app', { Jenkinsfile: `${rel}/Jenkinsfile`, deploy: `${rel}/deploy` }, 'Pipeline from SCM');
      expect(gitea.commits).toHaveLength(1);
      // A changed file is an update carrying the sha Gitea has.
      writeFileSync(join(src, 'Jenkinsfile'), "pipeline { agent { label 'lab-builder' }; stages {} }\n");
      await executor().gitPush('lab/hello-app', { Jenkinsfile: `${rel}/Jenkinsfile` }, 'Stages');
      expect(gitea.commits[1].files).toEqual([{ operation: 'update', path: 'Jenkinsfile' }]);
    } finally {
      (await import('node:fs')).rmSync(src, { recursive: true, force: true });
    }
  });

  it('computes git\'s blob ids (so unchanged files are recognised)', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('plans creates, updates with the old sha, and deletes only inside mirrored folders', () => {
    const tree = new Map([['a.txt', gitBlobSha(Buffer.from('a'))], ['b.txt', 'old'], ['dir/x', 'x'], ['other/y', 'y']]);
    const files = new Map([['a.txt', Buffer.from('a')], ['b.txt', Buffer.from('b')], ['dir/z', Buffer.from('z')]]);
    expect(planChanges(tree, files, ['dir']).map((c) => `${c.operation} ${c.path}${c.sha ? ` ${c.sha}` : ''}`)).toEqual(['update b.txt old', 'create dir/z', 'delete dir/x x']);
  });

  it('refuses a missing source file with its name', () => {
    expect(() => collectFiles(ROOT, { Jenkinsfile: 'solutions/nope/Jenkinsfile' })).toThrow('solutions/nope/Jenkinsfile does not exist');
  });
});

describe('the live executor\'s apply and run steps, with a fake kubectl on PATH', () => {
  const bin = tempDir('fakebin');
  const log = join(bin, 'calls.log');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho "$@" >> ${log}\necho "applied"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  // The real zx runner, with the fake kubectl first on PATH.
  const runner: Runner = (c) => liveRunner({ ...c, env: { ...c.env, PATH: `${bin}${delimiter}${process.env.PATH}` } });

  it('applies a kustomization folder with -k and a file with -f, server-side, on the lab context only', async () => {
    const ex = new LiveExecutor({ context: 'kind-cicd-lab', runner, log: quiet });
    await runSteps([{ apply: 'labs/s3-bluegreen' }, { apply: 'solutions/s3-bluegreen/web-green.yaml' }], ex);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      '--context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -k labs/s3-bluegreen',
      '--context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -f solutions/s3-bluegreen/web-green.yaml',
    ]);
  });

  it('runs a script with LAB_CONTEXT set, its args, and the fake kubectl it finds on PATH', async () => {
    writeFileSync(log, '');
    const ex = new LiveExecutor({ context: 'kind-other', runner, log: quiet });
    await ex.run('solutions/s3-bluegreen/switch.sh', ['green'], { TIMEOUT: '5s' });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls[0]).toBe('--context kind-other --namespace s3-bluegreen rollout status deployment/web-green --timeout=5s');
    expect(calls[1]).toContain('--context kind-other --namespace s3-bluegreen patch service web --type merge');
  });

  it('turns a failing script into one message with its output', async () => {
    const ex = new LiveExecutor({ context: 'kind-cicd-lab', runner, log: quiet });
    const error = await ex.run('solutions/s3-bluegreen/switch.sh', ['purple'], {}).catch((e) => e);
    expect(error.message).toContain('solutions/s3-bluegreen/switch.sh failed');
    expect(error.message).toContain('usage:');
  });
});

function writeTemp(name: string, text: string): string {
  mkdirSync(join(ROOT, '.lab'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.lab', 'test-'));
  writeFileSync(join(dir, name), text);
  afterCleanup.push(dir);
  return `${dir.slice(ROOT.length + 1)}/${name}`;
}
const afterCleanup: string[] = [];
afterAll(async () => {
  const { rmSync } = await import('node:fs');
  for (const d of afterCleanup) rmSync(d, { recursive: true, force: true });
});
