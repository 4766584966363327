/**
 * The labs' Jenkinsfiles and Jenkins job definitions, checked without a Jenkins:
 * - syntax, by the real Groovy parser (Debian's groovy package, Groovy 2.4 as Jenkins runs); the
 *   tree it builds must be the one test/lib/jenkinsfile.ts reads, so the simulated Jenkins runs
 *   what Jenkins would;
 * - the declarative structure, and the platform's contracts (platform.yaml): agent label,
 *   containers, credential ids, the registry and Gitea addresses;
 * - each lab's change to the pipeline is the small one its docs teach.
 * The platform's Jenkins is the final judge (`POST /pipeline-model-converter/validate`, e2e).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { child, childText, parseXml } from '../../src/xml.js';
import { ROOT } from '../../src/paths.js';
import { platform } from '../../src/platform.js';
import { parseGroovy, readPipeline, withoutLines, type Pipeline, type Step } from '../lib/jenkinsfile.js';
import { parseManifests, which } from '../lib/tools.js';
import { needsPackages } from '../lib/os-packages.js';

const JENKINSFILES = ['labs/app/Jenkinsfile', ...readdirSync(join(ROOT, 'solutions')).map((d) => `solutions/${d}/Jenkinsfile`).filter((f) => existsSync(join(ROOT, f)))];
const CONFIGS = readdirSync(join(ROOT, 'solutions')).map((d) => `solutions/${d}/config.xml`).filter((f) => existsSync(join(ROOT, f)));
const LAB_REPO_URL = `${platform.gitea.inCluster}/${platform.gitea.org}/${platform.gitea.repo}.git`;
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const pipeline = (f: string) => readPipeline(read(f));

/** Every step of a pipeline, with the container it runs in. */
function steps(p: Pipeline): { stage: string; container: string; step: Step }[] {
  const out: { stage: string; container: string; step: Step }[] = [];
  const walk = (stage: string, list: Step[], container: string) => {
    for (const step of list) {
      out.push({ stage, container, step });
      if ('container' in step) walk(stage, step.steps, step.container);
      else if ('steps' in step) walk(stage, step.steps, container);
    }
  };
  for (const s of p.stages) walk(s.name, s.steps, 'jnlp');
  return out;
}

const groovy = which('groovy');
const javaHome = () => {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const java = which('java');
  return java ? dirname(dirname(realpathSync(java))) : undefined;
};

const noGroovy = needsPackages('groovy');

describe.skipIf(Boolean(noGroovy))(`the Jenkinsfiles, read by the real Groovy parser${noGroovy ? ` (skipped: ${noGroovy})` : ''}`, () => {
  const ast = (files: string[]) => {
    const r = spawnSync(groovy!, [join(ROOT, 'test/lib/GroovyAst.groovy'), ...files], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JAVA_HOME: javaHome() } });
    return { ok: r.status === 0, out: r.stdout, err: r.stderr };
  };

  it(`parse, and give the tree the simulation reads (${JENKINSFILES.length} files)`, () => {
    const r = ast(JENKINSFILES);
    expect(r.err).toBe('');
    const trees = JSON.parse(r.out) as Record<string, unknown>;
    for (const f of JENKINSFILES) expect(withoutLines(parseGroovy(read(f))), f).toEqual(trees[f]);
  }, 60_000);

  it('and the check can fail: a missing parenthesis is a syntax error for Groovy and for the reader', () => {
    const broken = read('solutions/l2-pipeline/Jenkinsfile').replace("stage('Deploy')", "stage('Deploy'");
    const r = spawnSync(groovy!, ['-e', `new org.codehaus.groovy.control.CompilationUnit().with { addSource('Jenkinsfile', ${JSON.stringify(broken).replace(/\$/g, '\\$')}); compile(org.codehaus.groovy.control.Phases.CONVERSION) }`], { encoding: 'utf8', env: { ...process.env, JAVA_HOME: javaHome() } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unexpected token|expecting/);
    expect(() => parseGroovy(broken)).toThrow();
  }, 60_000);
});

describe('the Jenkinsfiles, read as declarative pipelines', () => {
  it.each(JENKINSFILES)('%s runs on the platform\'s agent, in its containers, with its credentials', (f) => {
    const p = pipeline(f);
    expect(p.agentLabel).toBe(platform.jenkins.agentLabel);
    for (const { step } of steps(p)) {
      if ('container' in step) expect(platform.jenkins.containers, `${f}:${step.line}`).toContain(step.container);
      if ('withCredentials' in step) for (const b of step.withCredentials) expect(Object.values(platform.jenkins.credentials)).toContain(b.credentialsId);
    }
    expect(p.environment.find((e) => e.name === 'IMAGE')?.value).toEqual({ string: `${platform.registry.inCluster}/hello-app` });
    expect(p.environment.find((e) => e.name === 'TAG')?.value).toEqual({ gstring: 'l2-${env.BUILD_NUMBER}' });
  });

  it.each(JENKINSFILES.filter((f) => f.startsWith('solutions/')))('%s has the stages Build → Container Build → Deploy, each tool in the container that has it', (f) => {
    const p = pipeline(f);
    expect(p.stages.map((s) => s.name).slice(0, 3)).toEqual(['Build', 'Container Build', 'Deploy']);
    const where: Record<string, string> = { npm: 'node', buildah: 'buildah', kubectl: 'tools', helm: 'tools', git: 'tools' };
    for (const { container, step } of steps(p)) {
      if (!('sh' in step)) continue;
      const script = 'string' in step.sh ? step.sh.string : '';
      for (const [tool, home] of Object.entries(where)) {
        if (new RegExp(`(^|\\n|&&|;)\\s*${tool}\\b`).test(script)) expect(container, `${f}:${step.line}: ${tool}`).toBe(home);
      }
    }
  });

  it('changes little from lab to lab: l3-helm adds the helm step to Deploy, l4-argocd adds the GitOps stage and GIT_REPO', () => {
    const shape = (f: string) => pipeline(f).stages.map((s) => ({ name: s.name, sh: steps({ ...pipeline(f), stages: [s] }).flatMap(({ step }) => ('sh' in step && 'string' in step.sh ? [step.sh.string.trim()] : [])) }));
    const l2 = shape('solutions/l2-pipeline/Jenkinsfile');
    const l3 = shape('solutions/l3-helm/Jenkinsfile');
    const l4 = shape('solutions/l4-argocd/Jenkinsfile');
    const skeleton = shape('labs/app/Jenkinsfile');
    expect(skeleton).toEqual(l2.slice(0, 1));
    expect(l3.slice(0, 2)).toEqual(l2.slice(0, 2));
    expect(l3[2].sh.slice(0, -1)).toEqual(l2[2].sh);
    expect(l3[2].sh.at(-1)).toMatch(/^helm upgrade --install hello-app deploy\/helm\/hello-app --namespace l3-helm --set image\.tag="\$TAG"/);
    expect(l4.slice(0, 3)).toEqual(l3);
    expect(l4.map((s) => s.name)).toEqual(['Build', 'Container Build', 'Deploy', 'GitOps']);
    expect(l4[3].sh.join('\n')).toContain('deploy/kustomize/overlays/dev/kustomization.yaml');
    expect(pipeline('solutions/l4-argocd/Jenkinsfile').environment.find((e) => e.name === 'GIT_REPO')?.value).toEqual({ string: LAB_REPO_URL.replace(/^https?:\/\//, '') });
  });
});

describe('the Jenkins jobs (config.xml) and the Argo CD Applications use the platform\'s names', () => {
  it.each(CONFIGS)('%s checks out lab/hello-app from the in-cluster Gitea with credential "gitea", branch main', (f) => {
    const root = parseXml(read(f));
    const scm = child(root, 'scm') ?? child(root, 'definition', 'scm');
    expect(scm?.attributes.class).toBe('hudson.plugins.git.GitSCM');
    expect(childText(scm, 'userRemoteConfigs', 'hudson.plugins.git.UserRemoteConfig', 'url')).toBe(LAB_REPO_URL);
    expect(childText(scm, 'userRemoteConfigs', 'hudson.plugins.git.UserRemoteConfig', 'credentialsId')).toBe(platform.jenkins.credentials.gitea);
    expect(childText(scm, 'branches', 'hudson.plugins.git.BranchSpec', 'name')).toBe('*/main');
  });

  it('the freestyle job runs on the platform\'s agent label and tags l1-${BUILD_NUMBER} for the in-cluster registry', () => {
    const root = parseXml(read('solutions/l1-freestyle/config.xml'));
    expect(childText(root, 'assignedNode')).toBe(platform.jenkins.agentLabel);
    const commands = child(root, 'builders')!.children.map((b) => child(b, 'command')!.text).join('\n');
    expect(commands).toContain(`"${platform.registry.inCluster}/hello-app:l1-\${BUILD_NUMBER}"`);
  });

  it('the Applications and AppProjects point at lab/hello-app in the in-cluster Gitea, in Argo CD\'s namespace', () => {
    const objects = ['projects', 'applications'].flatMap((n) => parseManifests(read(`solutions/l4-argocd/argocd/${n}.yaml`)));
    for (const o of objects) expect(o.metadata.namespace).toBe(platform.namespaces.argocd);
    for (const o of objects.filter((x) => x.kind === 'Application')) expect(o.spec.source.repoURL).toBe(LAB_REPO_URL);
    for (const o of objects.filter((x) => x.kind === 'AppProject')) expect(o.spec.sourceRepos).toEqual([LAB_REPO_URL]);
  });
});
