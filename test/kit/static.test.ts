import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { imageRepository } from '../../src/kube/objects.js';
import { ROOT } from '../../src/paths.js';
import { platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/snapshot.js';
import { kubectlVersion, kustomize, parseManifests, which } from '../lib/tools.js';
import { schemaErrors } from '../lib/validate.js';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const yamlFiles = ['labs', 'solutions', 'platform'].filter((d) => existsSync(join(ROOT, d))).flatMap((d) => walk(join(ROOT, d))).filter((f) => /\.ya?ml$/.test(f));
// Helm chart templates are Go templates, not YAML, until rendered (the Helm tests render them).
const plainYaml = yamlFiles.filter((f) => !f.split('/').includes('templates'));
const kustomizations = yamlFiles.filter((f) => f.endsWith('/kustomization.yaml')).map((f) => join(f, '..'));

/** Every Kubernetes object the labs and solutions contain, as kubectl would send it. */
function labObjects(): { file: string; object: KubeObject }[] {
  const out: { file: string; object: KubeObject }[] = [];
  for (const dir of kustomizations) for (const object of kustomize(dir)) out.push({ file: relative(ROOT, dir), object });
  const inKustomization = (f: string) => kustomizations.some((d) => f.startsWith(`${d}/`));
  for (const file of plainYaml.filter((f) => !inKustomization(f) && !f.endsWith('lab.yaml') && !f.startsWith(join(ROOT, 'platform')) && !f.includes('/labs/levels.yaml') && !f.includes('/labs/pending.yaml'))) {
    for (const object of parseManifests(readFileSync(file, 'utf8'))) if (object.apiVersion && object.kind) out.push({ file: relative(ROOT, file), object });
  }
  return out;
}

describe('the kit\'s static checks', () => {
  it('type-checks (strict TypeScript)', () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    try {
      execFileSync(tsc, ['--noEmit', '-p', join(ROOT, 'tsconfig.json')], { encoding: 'utf8', cwd: ROOT });
    } catch (error) {
      throw new Error(`tsc found errors:\n${(error as { stdout: string }).stdout}`);
    }
  }, 120_000);

  it('says every text in both languages through L() and t(), never with a `lang === \'ko\' ? … : …` of its own', () => {
    // A choice between two sentences inline hides one of them from whoever adds a language or
    // checks that both say the same; L(ko, en) keeps the pair together.
    const KNOWN: Record<string, string> = {
      'src/catalog.ts': 'picks the docs path of a language (en/ or none), not a sentence',
      'src/report/table.ts': 'being rewritten on string-width (issue 13): to go through L() then',
      'src/schema.ts': 'being replaced by one definition per format (issue 13): to go through L() then',
    };
    const bypass = /\b(?:lang|ctx\.lang)\s*[!=]==\s*'(?:ko|en)'\s*\?|\bko\s*\?\s*[`'"(]/;
    const files = ['src', 'scripts', 'test/grade'].flatMap((d) => walk(join(ROOT, d))).filter((f) => /\.(ts|js)$/.test(f));
    const found = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').map((line, i) => ({ file: relative(ROOT, f), line: i + 1, text: line.trim() }))).filter((l) => bypass.test(l.text));
    expect(found.filter((l) => !(l.file in KNOWN)).map((l) => `${l.file}:${l.line}: ${l.text}`)).toEqual([]);
    expect(Object.keys(KNOWN).filter((f) => !found.some((l) => l.file === f)), 'files that no longer bypass L(): take them off KNOWN').toEqual([]);
    expect(bypass.test("const head = lang === 'ko' ? ['실습'] : ['Lab'];") && bypass.test("out.push(ko ? `문서: ${a}` : `Docs: ${a}`);")).toBe(true);
  });

  it('finds kubectl on PATH and says which', () => {
    expect(which('kubectl'), 'kubectl is needed: the devcontainer installs it, .ci/run provisions it').toBeDefined();
    console.log(`kubectl ${kubectlVersion()} at ${which('kubectl')}`);
  });

  it('parses every YAML file of labs/, solutions/ and platform/', () => {
    for (const file of plainYaml) {
      const docs = parseAllDocuments(readFileSync(file, 'utf8'));
      for (const doc of docs) expect(doc.errors.map((e) => e.message), relative(ROOT, file)).toEqual([]);
    }
  });

  it('renders every kustomization with the real kustomize', () => {
    expect(kustomizations.length).toBeGreaterThan(0);
    for (const dir of kustomizations) expect(kustomize(dir).length, relative(ROOT, dir)).toBeGreaterThan(0);
  });

  it('validates every object of the labs and solutions against its schema (core and CRDs)', () => {
    const problems = labObjects().flatMap(({ file, object }) => schemaErrors(object).map((e) => `${file}: ${object.kind} ${object.metadata?.name}: ${e}`));
    expect(problems).toEqual([]);
  });

  it('has a schema check that does reject a wrong object (so the test above can fail)', () => {
    expect(schemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } })).not.toEqual([]);
    expect(schemaErrors({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { rules: [{ backendRefs: [{ name: 'a', port: 80, weight: '20%' }] }] } })).not.toEqual([]);
    expect(schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })[0]).toContain('no schema for example.com/v1 Widget');
  });

  it('uses the platform\'s names: hello-app images from the in-cluster registry, routes on the lab Gateway under .localhost', () => {
    for (const { file, object } of labObjects()) {
      const spec = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        if (imageRepository(c.image) === 'hello-app') expect(c.image, `${file}: ${object.metadata.name}`).toMatch(new RegExp(`^${platform.registry.inCluster.replace('.', '\\.')}/hello-app:`));
      }
      if (object.kind === 'HTTPRoute') {
        expect(object.spec.parentRefs, `${file}: HTTPRoute ${object.metadata.name}`).toContainEqual({ name: platform.gateway.name, namespace: platform.gateway.namespace });
        for (const host of object.spec.hostnames ?? []) expect(host).toMatch(new RegExp(`\\.${platform.gateway.domain}$`));
      }
    }
  });

  it('times nothing: no kit test compares a duration with a bound (speed is npm run bench\'s, beside a baseline)', () => {
    // An expect() on something timed (a variable named for a time, or a clock read) followed by a bound.
    const timed = /expect\(([^;]*?(\b(ms|millis|milliseconds|seconds|elapsed|duration|took|times?|wall|cpu)\b|performance\.now|Date\.now|\.ms\b)[^;]*?)\)\s*\.(not\.)?(toBeLessThan|toBeLessThanOrEqual|toBeGreaterThan|toBeGreaterThanOrEqual|toBeCloseTo)\(/;
    const found = readdirSync(join(ROOT, 'test', 'kit'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(ROOT, 'test', 'kit', f), 'utf8').split('\n').map((line, i) => [`test/kit/${f}:${i + 1}`, line] as const))
      .filter(([, line]) => timed.test(line))
      .map(([where, line]) => `${where}: ${line.trim()}`);
    expect(found).toEqual([]);
    // …and the check can fail: it finds each bound test/kit/performance.test.ts used to assert (written
    // here in two halves, so that this file does not match itself), and not a bound on a count.
    const line = (subject: string, bound: string) => `    expect(${subject})${bound}`;
    for (const [subject, bound] of [['times[0]', '.toBeLessThan(200);'], ['r.ms', '.toBeLessThan(10_000);'], ['ms', '.toBeLessThan(2000);']]) {
      expect(timed.test(line(subject, bound)), subject).toBe(true);
    }
    expect(timed.test(line('rows.length', '.toBeGreaterThan(4);'))).toBe(false);
  });

  it('ships its scripts executable', () => {
    for (const file of walk(join(ROOT, 'solutions')).filter((f) => f.endsWith('.sh'))) {
      expect(statSync(file).mode & 0o111, relative(ROOT, file)).not.toBe(0);
      expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env bash\n'), relative(ROOT, file)).toBe(true);
    }
  });
});
