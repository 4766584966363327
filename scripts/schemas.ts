#!/usr/bin/env -S npx tsx
/**
 * npm run schemas
 *
 * Writes the published JSON Schema of every format from its definition (src/formats.ts):
 * labs/lab.schema.json, labs/levels.schema.json, labs/pending.schema.json and, for the docs site,
 * docs/public/schemas/snapshot.schema.json and grade.schema.json. Run it after changing a format's
 * definition (src/catalog.ts, src/lifecycle.ts, src/snapshot.ts, src/report/grade-report.ts) and
 * commit the result: test/kit/formats.test.ts fails while a committed file differs.
 * No options. Exit: 0 written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runMain } from '../src/errors.js';
import { FORMATS, formatSchemaText, type FormatId } from '../src/formats.js';
import { ROOT } from '../src/paths.js';

export async function main(): Promise<number> {
  for (const id of Object.keys(FORMATS) as FormatId[]) {
    const file = join(ROOT, FORMATS[id].file);
    const text = formatSchemaText(id);
    let before: string | undefined;
    try {
      before = readFileSync(file, 'utf8');
    } catch {
      // not written yet
    }
    if (before === text) {
      console.log(`unchanged ${FORMATS[id].file}`);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${FORMATS[id].file}`);
  }
  return 0;
}

if (process.argv[1]?.endsWith('scripts/schemas.ts')) await runMain(main);
