/**
 * The file formats the kit publishes a JSON Schema for, each made from its one definition (the
 * zod schema in the module that owns the format; see src/schema.ts):
 *
 * - what lab authors write (labs/lab.schema.json, levels.schema.json, pending.schema.json): each
 *   file names its schema on its first line (`# yaml-language-server: $schema=…`), so an editor
 *   with YAML support completes and checks fields while they type;
 * - what the kit writes for others to read (snapshots, grade reports): under docs/public/schemas/,
 *   which the docs site serves at /schemas/.
 *
 * `npm run schemas` writes them all; test/kit/formats.test.ts fails when a committed file differs
 * from what the definitions make. The docs' formats page renders its field tables from the same
 * schemas (docs/.vitepress/plugins/format-fields.ts).
 */
import { Lab, Levels, Pending } from './catalog.js';
import { L, type Localized } from './i18n.js';
import { GradeReport } from './report/grade-report.js';
import { jsonSchema, type Schema } from './schema.js';
import { Snapshot } from './snapshot.js';

export interface Format {
  schema: Schema;
  /** Where the published schema is, relative to the repository root. */
  file: string;
  title: string;
  description: Localized;
}

export const FORMATS = {
  lab: {
    schema: Lab,
    file: 'labs/lab.schema.json',
    title: 'cicd-lab lab.yaml',
    description: L('실습 하나(labs/<id>/lab.yaml): 제목, 목표, 검사, 시작과 풀이 단계', 'One lab (labs/<id>/lab.yaml): its title, goal, checks, and start and solve steps'),
  },
  levels: {
    schema: Levels,
    file: 'labs/levels.schema.json',
    title: 'cicd-lab levels.yaml',
    description: L('실습이 속하는 과정의 단계들, 과정 순서대로(labs/levels.yaml)', 'The parts of the course that hold labs, in course order (labs/levels.yaml)'),
  },
  pending: {
    schema: Pending,
    file: 'labs/pending.schema.json',
    title: 'cicd-lab pending.yaml',
    description: L('아직 다 만들어지지 않은 실습의 id(labs/pending.yaml)', 'The ids of labs not fully built yet (labs/pending.yaml)'),
  },
  snapshot: {
    schema: Snapshot,
    file: 'docs/public/schemas/snapshot.schema.json',
    title: 'cicd-lab snapshot (CicdLabSnapshot v1)',
    description: L('채점기가 읽는 클러스터 상태를 저장한 것(JSON이나 YAML). 다른 항목이 더 있어도 됩니다', 'The cluster state the graders read, saved (JSON or YAML). More fields are allowed'),
  },
  grade: {
    schema: GradeReport,
    file: 'docs/public/schemas/grade.schema.json',
    title: 'cicd-lab grade report (CicdLabGrade v1)',
    description: L('채점 결과(reports/grade.json, reports/<이름>.grade.json). 다른 항목이 더 있어도 됩니다', 'A grading result (reports/grade.json, reports/<name>.grade.json). More fields are allowed'),
  },
} satisfies Record<string, Format>;

export type FormatId = keyof typeof FORMATS;

/** A format's published JSON Schema. */
export function formatSchema(id: FormatId): Record<string, unknown> {
  const format: Format = FORMATS[id];
  return jsonSchema(format.schema, format);
}

/** The text of a format's schema file, as `npm run schemas` writes it. */
export function formatSchemaText(id: FormatId): string {
  return `${JSON.stringify(formatSchema(id), null, 2)}\n`;
}
