import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, docsFile, pageSolutionAnchor, prerequisites, readCatalog, requiresProblems, solutionRef, type Lab } from '../../src/catalog.js';
import { solutionText } from '../../src/hints.js';
import { loadGrader } from '../../src/engine.js';
import { describeStep, stepFiles } from '../../src/lifecycle.js';
import { LabError } from '../../src/errors.js';
import { graderFile, ROOT } from '../../src/paths.js';

/** The published labs: their ids, namespaces and check ids are contracts (ARCHITECTURE.md#contracts). */
const DESIGN: Record<string, { namespaces: string[]; checks: string[] }> = {
  's1-recreate': { namespaces: ['s1-recreate'], checks: ['strategy', 'updated'] },
  's2-rolling': { namespaces: ['s2-rolling'], checks: ['strategy', 'readiness', 'updated'] },
  's3-bluegreen': { namespaces: ['s3-bluegreen'], checks: ['green-ready', 'warmup', 'switched', 'rollback-ready', 'traffic'] },
  's4-canary': { namespaces: ['s4-canary'], checks: ['backends', 'weight', 'header', 'traffic'] },
  's5-db-migration': { namespaces: ['s5-db-migration'], checks: ['migrated', 'ordered', 'scaled', 'schema'] },
  's6-rollback': { namespaces: ['s6-rollback'], checks: ['guarded', 'tried', 'undone', 'traffic'] },
  'l1-freestyle': { namespaces: ['l1-freestyle'], checks: ['job', 'build', 'image', 'deploy'] },
  'l2-pipeline': { namespaces: ['l2-pipeline'], checks: ['job', 'stages', 'build', 'deploy'] },
  'l3-kustomize': { namespaces: ['l3-kustomize-dev', 'l3-kustomize-prod'], checks: ['dev', 'prod', 'generated-config', 'same-base'] },
  'l3-helm': { namespaces: ['l3-helm'], checks: ['release', 'upgraded', 'injected-tag', 'pipeline'] },
  'l4-argocd': { namespaces: ['l4-dev', 'l4-prod'], checks: ['apps', 'dev-auto', 'prod-manual', 'projects', 'synced', 'gitops'] },
  'l4-rollouts-bluegreen': { namespaces: ['l4-rollouts-bluegreen'], checks: ['rollout', 'promoted'] },
  'l4-rollouts-canary': { namespaces: ['l4-rollouts-canary'], checks: ['rollout', 'paused-at-20', 'traffic'] },
  'l4-rollouts-analysis': { namespaces: ['l4-rollouts-analysis'], checks: ['template', 'passed', 'aborted', 'stable', 'traffic'] },
};

const { labs, pending } = catalog();

/** The parts of a lab (ARCHITECTURE.md#making-a-lab), each with what is missing when it is. */
function missingParts(lab: Lab): string[] {
  const missing: string[] = [];
  const starter = readdirSync(join(ROOT, 'labs', lab.id)).filter((f) => f !== 'lab.yaml');
  if (!starter.length || !lab.start?.length) missing.push(`starter (files in labs/${lab.id}/ and its start steps in lab.yaml)`);
  const solution = join(ROOT, 'solutions', lab.id);
  if (!existsSync(solution) || !readdirSync(solution).length || !lab.solve?.length) missing.push(`solution (solutions/${lab.id}/ and its solve steps in lab.yaml)`);
  if (!existsSync(graderFile(lab.id))) missing.push(`grader (test/grade/${lab.id}.test.ts)`);
  for (const lang of ['ko', 'en'] as const) if (!existsSync(join(ROOT, docsFile(lab, lang)))) missing.push(`docs page (${docsFile(lab, lang)})`);
  if (!existsSync(join(ROOT, 'test', 'kit', `${lab.id}.test.ts`))) missing.push(`kit test (test/kit/${lab.id}.test.ts)`);
  return missing;
}

describe('the lab catalog', () => {
  it('has the fourteen published labs with their namespaces and check ids, in order', () => {
    expect(Object.fromEntries(labs.map((l) => [l.id, { namespaces: l.namespaces, checks: l.checks.map((c) => c.id) }]))).toEqual(DESIGN);
  });

  it('has every title, goal and hint in Korean and English, and Korean that is Korean', () => {
    for (const lab of labs) {
      for (const text of [lab.title, lab.goal, ...lab.checks.flatMap((c) => [c.title, c.hint])]) {
        expect(text.ko.trim()).not.toBe('');
        expect(text.en.trim()).not.toBe('');
        expect(text.ko, `${lab.id}: "${text.ko}"`).toMatch(/[\uac00-\ud7a3]/);
      }
    }
  });

  it('names its schema on the first line of every lab.yaml, levels.yaml and pending.yaml, so editors complete and check the fields', () => {
    const files: [string, string][] = [
      ...readdirSync(join(ROOT, 'labs'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(ROOT, 'labs', e.name, 'lab.yaml')))
        .map((e): [string, string] => [`labs/${e.name}/lab.yaml`, '../lab.schema.json']),
      ['labs/levels.yaml', 'levels.schema.json'],
      ['labs/pending.yaml', 'pending.schema.json'],
    ];
    expect(files.length).toBe(labs.length + 2);
    const lacking = files
      .filter(([file, schema]) => readFileSync(join(ROOT, file), 'utf8').split('\n')[0] !== `# yaml-language-server: $schema=${schema}`)
      .map(([file, schema]) => `${file} must start with "# yaml-language-server: $schema=${schema}"`);
    expect(lacking).toEqual([]);
    for (const [file, schema] of files) expect(existsSync(join(ROOT, file, '..', schema)), `${file} → ${schema}`).toBe(true);
  });

  it('refuses a lab.yaml whose fields do not fit, naming the file and the path of each field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-catalog-'));
    try {
      cpSync(join(ROOT, 'test', 'kit', 'fixtures', 'bad-catalog', 'levels.yaml'), join(dir, 'levels.yaml'));
      mkdirSync(join(dir, 'one'));
      writeFileSync(
        join(dir, 'one', 'lab.yaml'),
        `id: one\nlevel: level-1\norder: 1\ntitle: {ko: "하나", en: one}\ngoal: {ko: "목표"}\nnamespaces: [one]\nminute: 10\n` +
          `checks: [{id: x, title: {ko: "가", en: x}, hint: {ko: "나", en: y}, docs: x, troubles: [{symptom: {ko: "다", en: z}}]}]\nstart: [{aply: labs/one}]\n`,
      );
      const error = (() => {
        try {
          readCatalog(dir);
        } catch (e) {
          return e as LabError;
        }
      })();
      expect(error).toBeInstanceOf(LabError);
      const en = (error!.text as { en: string }).en.split('\n');
      expect(en[0]).toMatch(/^A lab catalog file does not have the expected shape \(.*one\/lab\.yaml\)$/);
      expect(en.slice(1).sort()).toEqual(
        [
          '  goal.en: is required but missing',
          '  minutes: is required but missing',
          '  minute: is not a known field',
          '  checks[0].troubles[0].fix: is required but missing',
          '  start[0]: needs exactly one of the fields apply, run, git-push, jenkins-job, jenkins-build, found aply',
        ].sort(),
      );
      expect((error!.text as { ko: string }).ko).toContain('minutes: 필수 항목이 없습니다');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists as pending only labs that exist, and no lab twice', () => {
    expect(pending.every((id) => labs.some((l) => l.id === id))).toBe(true);
    expect(new Set(pending).size).toBe(pending.length);
  });

  for (const lab of labs.filter((l) => !pending.includes(l.id))) {
    describe(lab.id, () => {
      it('has all four parts (starter, solution, grader, docs in ko and en) and its kit test', () => {
        expect(missingParts(lab)).toEqual([]);
      });

      it('has a grader whose checks are exactly the catalog\'s', async () => {
        const grader = await loadGrader(lab.id);
        expect(Object.keys(grader.checks).sort()).toEqual(lab.checks.map((c) => c.id).sort());
      });

      it('teaches every check in a section of its docs page, in both languages', () => {
        for (const lang of ['ko', 'en'] as const) {
          const page = readFileSync(join(ROOT, docsFile(lab, lang)), 'utf8');
          for (const check of lab.checks) expect(page, `${docsFile(lab, lang)} needs a heading with {#${check.docs}}`).toContain(`{#${check.docs}}`);
          expect(page).toContain(`<!-- @checks: ${lab.id} -->`);
          expect(page).toContain(`npm test -- ${lab.id}`);
        }
      });

      it('has all three hint levels for every check: the nudge and the pointer in both languages, and a solution region its docs page shows', () => {
        const problems: string[] = [];
        for (const check of lab.checks) {
          const where = `${lab.id}/${check.id}`;
          if (!check.pointer) problems.push(`${where}: no pointer (level 2)`);
          else if (!/[\uac00-\ud7a3]/.test(check.pointer.ko)) problems.push(`${where}: pointer.ko is not Korean`);
          if (!check.solution) {
            problems.push(`${where}: no solution (level 3)`);
            continue;
          }
          if (pageSolutionAnchor(check.solution) !== undefined) {
            // Solved by commands: the section of each page must hold them (and docs-commands runs them).
            for (const lang of ['ko', 'en'] as const) {
              try {
                solutionText(check, ROOT, { lab, lang });
              } catch (error) {
                problems.push(`${where}: ${(error as LabError).message}`);
              }
            }
            continue;
          }
          try {
            if (!solutionText(check).text.trim()) problems.push(`${where}: ${check.solution} is empty`);
          } catch (error) {
            problems.push(`${where}: ${(error as LabError).message}`);
            continue;
          }
          const { file, region } = solutionRef(check.solution);
          for (const lang of ['ko', 'en'] as const) {
            const page = readFileSync(join(ROOT, docsFile(lab, lang)), 'utf8');
            if (!new RegExp(`^<<< @/\\.\\./${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#${region}(\\{|\\s*$)`, 'm').test(page)) {
              problems.push(`${where}: ${docsFile(lab, lang)} does not show ${check.solution} (<<< @/../${check.solution}{…})`);
            }
          }
        }
        expect(problems).toEqual([]);
      });

      it('names only files that exist in its start and solve steps', () => {
        for (const step of [...(lab.start ?? []), ...(lab.solve ?? [])]) {
          for (const file of stepFiles(step)) expect(existsSync(join(ROOT, file)), `${lab.id}: ${describeStep(step)}: ${file}`).toBe(true);
          if ('run' in step) expect(statSync(join(ROOT, step.run)).mode & 0o111, `${step.run} must be executable`).not.toBe(0);
        }
      });
    });
  }

  it('keeps the pending list honest: a pending lab that has all its parts must leave the list', () => {
    const complete = labs.filter((l) => pending.includes(l.id) && missingParts(l).length === 0).map((l) => l.id);
    expect(complete, 'remove these from labs/pending.yaml').toEqual([]);
  });

  it('refuses a lab.yaml whose id differs from its folder, naming the file', () => {
    const error = (() => {
      try {
        readCatalog(join(ROOT, 'test', 'kit', 'fixtures', 'bad-catalog'));
      } catch (e) {
        return e as LabError;
      }
    })();
    expect(error).toBeInstanceOf(LabError);
    expect(error!.message).toContain('labs-fixture/lab.yaml');
  });

  it('gives every lab a time estimate and prerequisites that are labs earlier in the course', () => {
    for (const lab of labs) {
      expect(lab.minutes, lab.id).toBeGreaterThanOrEqual(5);
      for (const id of lab.requires ?? []) {
        expect(labs.findIndex((l) => l.id === id), `${lab.id} requires ${id}, which comes later in the course`).toBeLessThan(labs.indexOf(lab));
      }
    }
    expect(requiresProblems(labs)).toEqual([]);
  });

  it('has every lab say what its start builds on (`requires:`, `[]` for nothing), so no lab is left undecided', () => {
    for (const lab of labs) expect(readFileSync(join(ROOT, 'labs', lab.id, 'lab.yaml'), 'utf8'), `labs/${lab.id}/lab.yaml`).toMatch(/^requires: \[.*\]$/m);
  });

  it('catches up through every lab a prerequisite builds on, in course order', () => {
    const l4 = labs.find((l) => l.id === 'l4-argocd')!;
    const ids = prerequisites(l4).map((l) => l.id);
    expect(ids).toEqual(labs.map((l) => l.id).filter((id) => ids.includes(id)));
    for (const direct of l4.requires ?? []) expect(ids).toContain(direct);
    const fake = [
      { id: 'a', requires: [] },
      { id: 'b', requires: ['a'] },
      { id: 'c', requires: ['b'] },
    ] as unknown as Lab[];
    expect(prerequisites(fake[2], fake).map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('refuses a requires: naming no lab, the lab itself, or a cycle, naming the file', () => {
    expect(requiresProblems([{ id: 'a', requires: ['nope'] }])).toEqual(['labs/a/lab.yaml: requires "nope", which is not a lab']);
    expect(requiresProblems([{ id: 'a', requires: ['a'] }])).toEqual(['labs/a/lab.yaml: requires itself']);
    expect(requiresProblems([{ id: 'a', requires: ['c'] }, { id: 'b', requires: ['a'] }, { id: 'c', requires: ['b'] }])).toEqual(['labs/a/lab.yaml: requires form a cycle: a → c → b → a']);
    // …and reading a catalog with such a lab fails with that message.
    const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-catalog-'));
    try {
      cpSync(join(ROOT, 'test', 'kit', 'fixtures', 'bad-catalog', 'levels.yaml'), join(dir, 'levels.yaml'));
      for (const [id, requires] of [['one', 'two'], ['two', 'one']]) {
        mkdirSync(join(dir, id));
        writeFileSync(join(dir, id, 'lab.yaml'), `id: ${id}\nlevel: level-1\norder: 1\ntitle: {ko: "하나", en: one}\ngoal: {ko: "목표", en: goal}\nnamespaces: [${id}]\nminutes: 10\nrequires: [${requires}]\nchecks: [{id: x, title: {ko: "가", en: x}, hint: {ko: "나", en: y}, docs: x}]\n`);
      }
      expect(() => readCatalog(dir)).toThrow('requires form a cycle: one → two → one');
      // An unknown id in a catalog read from files.
      writeFileSync(join(dir, 'two', 'lab.yaml'), readFileSync(join(dir, 'two', 'lab.yaml'), 'utf8').replace('requires: [one]', 'requires: [three]'));
      writeFileSync(join(dir, 'one', 'lab.yaml'), readFileSync(join(dir, 'one', 'lab.yaml'), 'utf8').replace('requires: [two]', 'requires: []'));
      expect(() => readCatalog(dir)).toThrow('labs/two/lab.yaml: requires "three", which is not a lab');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
