/**
 * One definition per format (src/formats.ts): the published JSON Schemas are exactly what the
 * definitions make, a standard JSON Schema validator (Ajv) accepts and refuses the same files the
 * kit's own loader does, and the docs' formats page shows the definitions' fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fieldRows, fieldsTable } from '../../docs/.vitepress/plugins/format-fields.js';
import { catalog } from '../../src/catalog.js';
import { LabError } from '../../src/errors.js';
import { FORMATS, formatSchema, formatSchemaText, type FormatId } from '../../src/formats.js';
import { L } from '../../src/i18n.js';
import { ROOT } from '../../src/paths.js';
import { validator } from '../../src/schema.js';

const IDS = Object.keys(FORMATS) as FormatId[];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const yaml = (file: string) => parse(read(file));
const json = (file: string) => JSON.parse(read(file));

/** Whether the kit's loader accepts the data (its check of the format, as the loaders run it). */
function kitAccepts(id: FormatId, data: unknown): boolean {
  try {
    validator(FORMATS[id].schema)(structuredClone(data), 'x', L('x', 'x'));
    return true;
  } catch (error) {
    if (error instanceof LabError) return false;
    throw error;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const standardAccepts = (id: FormatId, data: unknown) => ajv.compile(formatSchema(id))(data) as boolean;

/** A copy of `data` with `change` applied to it. */
function edited<T>(data: T, change: (d: any) => void): T {
  const copy = structuredClone(data);
  change(copy);
  return copy;
}

describe('the published schemas', () => {
  it.each(IDS)('%s: the committed file is what its definition makes', (id) => {
    const { file } = FORMATS[id];
    expect(read(file), `${file} differs from its definition (src/formats.ts): run npm run schemas and commit the result`).toBe(formatSchemaText(id));
  });

  it('are JSON Schema draft-07 with a title and a description in both languages, on every field an author writes', () => {
    for (const id of IDS) {
      const schema = formatSchema(id);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.title).toMatch(/^cicd-lab /);
      expect(schema.description).toBeTruthy();
      expect(schema['x-description-ko']).toBeTruthy();
    }
    // Every field of lab.yaml has a description (editors show it while the author types).
    const lab = formatSchema('lab') as any;
    for (const [field, schema] of Object.entries<any>(lab.properties)) expect(schema.description, field).toBeTruthy();
  });
});

describe('a standard JSON Schema validator and the kit agree on each format', () => {
  const lab = yaml('labs/s3-bluegreen/lab.yaml');
  const snapshot = yaml('test/kit/fixtures/formats/snapshot.yaml');
  const grade = json('test/kit/fixtures/formats/grade.en.json');

  const cases: [string, FormatId, boolean, unknown][] = [
    ...catalog().labs.map((l): [string, FormatId, boolean, unknown] => [`labs/${l.id}/lab.yaml`, 'lab', true, yaml(`labs/${l.id}/lab.yaml`)]),
    ['labs/levels.yaml', 'levels', true, yaml('labs/levels.yaml')],
    ['labs/pending.yaml', 'pending', true, yaml('labs/pending.yaml') ?? []],
    ['a lab without minutes', 'lab', false, edited(lab, (d) => delete d.minutes)],
    ['a lab with a field the kit does not know', 'lab', false, edited(lab, (d) => (d.minute = 10))],
    ['a lab whose title lacks English', 'lab', false, edited(lab, (d) => delete d.title.en)],
    ['a trouble without its fix', 'lab', false, edited(lab, (d) => (d.checks[0].troubles = [{ symptom: { ko: '가', en: 'a' } }]))],
    ['a lab requiring the same lab twice', 'lab', false, edited(lab, (d) => (d.requires = ['s1-recreate', 's1-recreate']))],
    ['a step with two kinds at once', 'lab', false, edited(lab, (d) => (d.start = [{ apply: 'labs/x', run: 'x.sh' }]))],
    ['a git-push step with no files', 'lab', false, edited(lab, (d) => (d.solve = [{ 'git-push': { repo: 'lab/hello-app', files: {}, message: 'm' } }]))],
    ['a lab taking 300 minutes', 'lab', false, edited(lab, (d) => (d.minutes = 300))],
    ['the example snapshot', 'snapshot', true, snapshot],
    ['a snapshot with fields of its own', 'snapshot', true, edited(snapshot, (d) => ((d.note = 'more fields are allowed'), (d.kubernetes[0].extra = { a: 1 })))],
    ['a snapshot with tags YAML read as numbers', 'snapshot', true, edited(snapshot, (d) => (d.registry.repositories['hello-app'] = [1.0, 'l1-3']))],
    ['a snapshot whose object has no name', 'snapshot', false, edited(snapshot, (d) => delete d.kubernetes[0].metadata.name)],
    ['a snapshot with a generation that is text', 'snapshot', false, edited(snapshot, (d) => (d.kubernetes[0].metadata.generation = '2'))],
    ['a traffic probe without its request count', 'snapshot', false, edited(snapshot, (d) => (d.probes['traffic/x'] = { versions: {} }))],
    ['a schema probe without columns', 'snapshot', false, edited(snapshot, (d) => (d.probes['schema/x'] = { table: 'orders' }))],
    ['a probe that is not an object', 'snapshot', false, edited(snapshot, (d) => (d.probes.other = 3))],
    ['a Jenkins job record without its job', 'snapshot', false, edited(snapshot, (d) => delete Object.values<any>(d.jenkins.jobs)[0].job)],
    ['a snapshot of another kind', 'snapshot', false, edited(snapshot, (d) => (d.kind = 'Deployment'))],
    ['the example grade report', 'grade', true, grade],
    ['a grade report with only the fields every grade file has', 'grade', true, { kind: 'CicdLabGrade', version: 1, context: null, gradedAt: '2026-11-26T12:05:00Z', labs: [{ id: 's1-recreate', checks: [{ id: 'strategy', status: 'pass', message: 'ok' }] }] }],
    ['a grade report with a status it does not know', 'grade', false, edited(grade, (d) => (d.labs[0].checks[0].status = 'passed'))],
    ['a grade report without gradedAt', 'grade', false, edited(grade, (d) => delete d.gradedAt)],
  ];

  it.each(cases)('%s (%s): both say valid = %s', (_name, id, valid, data) => {
    expect(kitAccepts(id, data), 'the kit').toBe(valid);
    expect(standardAccepts(id, data), 'Ajv with the published schema').toBe(valid);
  });
});

describe('the formats page (reference/formats.md, both languages)', () => {
  const pages = { ko: read('docs/reference/formats.md'), en: read('docs/en/reference/formats.md') };

  it.each(['ko', 'en'] as const)('(%s) shows each format\'s fields from its definition, not typed by hand', (lang) => {
    for (const directive of ['lab', 'lab#Step', 'levels', 'snapshot', 'grade']) expect(pages[lang]).toContain(`<!-- @fields: ${directive} -->`);
    // The headers of the tables the page once had typed by hand are gone.
    expect(pages[lang]).not.toMatch(/\| (Field \| Holds|항목 \| 내용) \|/);
    const table = fieldsTable('lab', lang);
    for (const field of ['minutes', 'requires', 'checks[].troubles[].symptom', 'checks[].troubles[].fix']) expect(table).toContain(`| \`${field}\` |`);
    expect(fieldsTable('lab', lang, 'Step')).toContain('| `git-push.files` |');
    for (const field of ['kind', 'version', 'kubernetes', 'jenkins.jobs', 'registry.repositories', 'git.repositories', 'probes']) expect(fieldsTable('snapshot', lang)).toContain(`| \`${field}\` |`);
    for (const field of ['gradedAt', 'labs[].checks[].status', 'summary']) expect(fieldsTable('grade', lang)).toContain(`| \`${field}\` |`);
  });

  it('writes each field\'s meaning in the page\'s language, and marks what is required', () => {
    const ko = fieldRows('lab', 'ko').find((r) => r.path === 'minutes')!;
    const en = fieldRows('lab', 'en').find((r) => r.path === 'minutes')!;
    expect(ko.description).toMatch(/[가-힣]/);
    expect(en.description).not.toMatch(/[가-힣]/);
    expect([ko.required, en.required]).toEqual([true, true]);
    expect(fieldRows('lab', 'en').find((r) => r.path === 'requires')!.required).toBe(false);
    expect(() => fieldsTable('lab', 'en', 'Nothing')).toThrow('@fields: lab has no definition "Nothing"');
  });
});
