/**
 * Shape checks for the files the kit reads (lab.yaml, snapshots). A mismatch becomes a LabError
 * that names the file, the path of each bad field and what was expected there — never a stack trace.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { LabError } from './errors.js';
import { L, type Localized } from './i18n.js';

const ajv = new Ajv({ allErrors: true, strict: false });

/** `/kubernetes/0/metadata/name` → `kubernetes[0].metadata.name` */
export function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(top level)';
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur: any = root;
  for (const part of instancePath.split('/').slice(1)) cur = cur?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

function describe(error: ErrorObject, root: unknown): { path: string; text: Localized } {
  const found = valueAt(root, error.instancePath);
  const p: any = error.params;
  switch (error.keyword) {
    case 'required':
      return { path: fieldPath(error.instancePath, p.missingProperty), text: L('필수 항목이 없습니다', 'is required but missing') };
    case 'type':
      return {
        path: fieldPath(error.instancePath),
        text: L(`${p.type} 형식이어야 하는데 ${typeOf(found)}입니다`, `expected ${p.type}, found ${typeOf(found)}`),
      };
    case 'const':
      return {
        path: fieldPath(error.instancePath),
        text: L(`${JSON.stringify(p.allowedValue)}이어야 하는데 ${JSON.stringify(found)}입니다`, `expected ${JSON.stringify(p.allowedValue)}, found ${JSON.stringify(found)}`),
      };
    case 'enum':
      return {
        path: fieldPath(error.instancePath),
        text: L(
          `${p.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')} 중 하나여야 하는데 ${JSON.stringify(found)}입니다`,
          `expected one of ${p.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}, found ${JSON.stringify(found)}`,
        ),
      };
    case 'pattern':
      return {
        path: fieldPath(error.instancePath),
        text: L(`${JSON.stringify(found)}은(는) 형식 ${p.pattern}에 맞지 않습니다`, `${JSON.stringify(found)} does not match ${p.pattern}`),
      };
    case 'additionalProperties':
      return { path: fieldPath(error.instancePath, p.additionalProperty), text: L('알 수 없는 항목입니다', 'is not a known field') };
    case 'minimum':
    case 'minItems':
    case 'minLength':
      return { path: fieldPath(error.instancePath), text: L(`${error.message}`, `${error.message}`) };
    default:
      return { path: fieldPath(error.instancePath), text: L(`${error.message}`, `${error.message}`) };
  }
}

export type Validator<T> = (data: unknown, where: string, heading: Localized) => T;

/**
 * Compile a JSON schema into a function that returns the data typed, or throws a LabError:
 * "<heading>\n  <field path>: <what was expected>" for up to 8 fields.
 */
export function validator<T>(schema: object): Validator<T> {
  const check = ajv.compile(schema);
  return (data, where, heading) => {
    if (check(data)) return data as T;
    const seen = new Set<string>();
    const lines: { path: string; text: Localized }[] = [];
    for (const error of check.errors ?? []) {
      // anyOf/oneOf produce a summary error on top of each branch's; the branches say more.
      if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
      const line = describe(error, data);
      const key = `${line.path}|${line.text.en}`;
      if (!seen.has(key)) (seen.add(key), lines.push(line));
    }
    const shown = lines.slice(0, 8);
    const more = lines.length - shown.length;
    const body = (lang: 'ko' | 'en') =>
      shown.map((l) => `  ${l.path}: ${l.text[lang]}`).join('\n') +
      (more > 0 ? (lang === 'ko' ? `\n  … 그 밖에 ${more}개` : `\n  … and ${more} more`) : '');
    throw new LabError(L(`${heading.ko} (${where})\n${body('ko')}`, `${heading.en} (${where})\n${body('en')}`));
  };
}
