/**
 * One definition per file format. Each format the kit reads or writes (lab.yaml, levels.yaml,
 * pending.yaml, snapshots, grade reports) is a zod schema in the module that owns the format; from
 * it come the TypeScript type (`Infer`), the check the loader runs (`validator` below) and the
 * published JSON Schema (`jsonSchema`, written by `npm run schemas`, shown on the docs' formats
 * page). Field descriptions live in the definition too (`doc`), in Korean and English.
 *
 * Formats that allow more fields than they define (snapshots, grade reports) define their objects
 * as loose, so that every field is read as written.
 *
 * A mismatch becomes a LabError that names the file, the path of each bad field and what was
 * expected there — never a stack trace.
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { LabError } from './errors.js';
import { L, type Localized } from './i18n.js';

/**
 * zod, loaded with require: its CommonJS build loads as one graph inside Node, where its ES module
 * build's hundred-odd files each pass through the TypeScript loader's hooks (tsx, which runs
 * `npm test` and its Vitest workers), which doubles the time it takes to import; loaded this way
 * it costs less than the Ajv it replaced took to load and compile its schemas. Every module takes
 * `z` from here, so that there is one zod (one registry of descriptions).
 */
export const { z } = createRequire(import.meta.url)('zod') as typeof Zod;
/** The type a definition describes (what the loader returns). */
export type Infer<S extends Zod.ZodType> = Zod.output<S>;
/** A definition whose type is given (for shapes typed more loosely than they are checked). */
export type Schema<T = any> = Zod.ZodType<T>;

/** JSON Schema keyword (an annotation editors ignore) that carries a description's Korean text. */
export const KO_DESCRIPTION = 'x-description-ko';

/** Attach a field's description in both languages: the published schema and the docs show it. */
export function doc<S extends Zod.ZodType>(schema: S, ko: string, en: string): S {
  return schema.meta({ description: en, [KO_DESCRIPTION]: ko });
}

/**
 * An object the graders read freely (a Kubernetes spec, a Jenkins build as `api/json` returns
 * it): checked to be an object, with the fields given checked where present, and typed `any`
 * like the API's open shapes.
 */
export function openObject(shape: Zod.ZodRawShape = {}): Zod.ZodType<any> {
  return z.looseObject(shape);
}

/** An array without repeated items (JSON Schema `uniqueItems`). */
export function uniqueItems<S extends Zod.ZodType>(item: S) {
  return z
    .array(item)
    .refine((items) => new Set(items.map((i) => JSON.stringify(i))).size === items.length, { params: L('같은 값이 두 번 있습니다', 'has an item twice') })
    .meta({ uniqueItems: true });
}

/** `kubernetes.0.metadata.name` as a path array → `kubernetes[0].metadata.name` */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(top level)';
}

/** What a value is, as the messages say it ("found a string", "문자열입니다"). */
function typeOf(value: unknown): Localized {
  if (value === null) return L('null', 'null');
  if (Array.isArray(value)) return L('배열', 'an array');
  if (typeof value === 'number') return L(`숫자 ${value}`, String(value));
  const type = typeof value;
  return type === 'object' ? L('객체', 'an object') : L(KO_TYPES[type] ?? type, `a ${type}`);
}

/** "X이어야" after a final consonant, "X여야" after a vowel (Hangul only; anything else takes 이어야). */
function mustBe(word: string): string {
  const last = word.charCodeAt(word.length - 1) - 0xac00;
  return last >= 0 && last < 11172 && last % 28 === 0 ? `${word}여야` : `${word}이어야`;
}

const KO_TYPES: Record<string, string> = { string: '문자열', number: '숫자', integer: '정수', boolean: '참/거짓 값', object: '객체', array: '배열', null: 'null' };

const shown = (v: unknown) => JSON.stringify(v);
const TYPE_NAMES: Record<string, string> = { int: 'integer', record: 'object' };

/** The zod schema that raised an issue (its definition tells an integer from a number). */
function defOf(issue: Zod.core.$ZodRawIssue): Record<string, any> | undefined {
  return ((issue.inst ?? issue.schema) as Zod.ZodType | undefined)?._zod?.def as Record<string, any> | undefined;
}

/** A union's alternatives as people name them: an object by its first field (`.apply`), else its type. */
function alternatives(def: Record<string, any> | undefined): string[] {
  return ((def?.options ?? []) as Zod.ZodType[]).map((option) => {
    let d = option._zod.def as Record<string, any>;
    while (d.type === 'pipe' || d.type === 'optional' || d.type === 'nullable') d = (d.in ?? d.innerType)._zod.def;
    return d.type === 'object' ? `.${Object.keys(d.shape)[0]}` : (TYPE_NAMES[d.type] ?? d.type);
  });
}

/** What one issue says, in both languages (the field path is added by the caller). */
function issueText(issue: Zod.core.$ZodRawIssue): Localized {
  const found = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      if (found === undefined) return L('필수 항목이 없습니다', 'is required but missing');
      const def = defOf(issue);
      const integer = issue.expected === 'int' || (def?.type === 'number' && /int/.test(def?.format ?? ''));
      const expected = integer ? 'integer' : (TYPE_NAMES[issue.expected] ?? issue.expected);
      return L(`${mustBe(KO_TYPES[expected] ?? expected)} 하는데 ${typeOf(found).ko}입니다`, `expected ${expected}, found ${typeOf(found).en}`);
    }
    case 'invalid_value': {
      const values = issue.values.map(shown).join(', ');
      return issue.values.length === 1
        ? L(`${values}이어야 하는데 ${shown(found)}입니다`, `expected ${values}, found ${shown(found)}`)
        : L(`${values} 중 하나여야 하는데 ${shown(found)}입니다`, `expected one of ${values}, found ${shown(found)}`);
    }
    case 'invalid_format': {
      const pattern = issue.pattern?.replace(/^\/(.*)\/[a-z]*$/, '$1') ?? issue.format;
      return L(`${shown(found)}은(는) 형식 ${pattern}에 맞지 않습니다`, `${shown(found)} does not match ${pattern}`);
    }
    case 'unrecognized_keys':
      return L('알 수 없는 항목입니다', 'is not a known field');
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      if (issue.origin === 'string') {
        return small && limit === 1 ? L('비어 있으면 안 됩니다', 'must not be empty') : L(`길이가 ${limit} ${small ? '이상이어야' : '이하여야'} 합니다`, `must be ${small ? 'at least' : 'at most'} ${limit} characters long`);
      }
      if (issue.origin === 'array') {
        return L(`항목이 ${limit}개 ${small ? '이상이어야' : '이하여야'} 합니다`, `must have ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`);
      }
      if (issue.origin === 'object') return L(`항목이 ${limit}개 ${small ? '이상이어야' : '이하여야'} 합니다`, `must have ${small ? 'at least' : 'at most'} ${limit} field${limit === 1 ? '' : 's'}`);
      return L(`${limit} ${small ? '이상이어야' : '이하여야'} 하는데 ${shown(found)}입니다`, `must be ${small ? 'at least' : 'at most'} ${limit}, found ${shown(found)}`);
    }
    case 'invalid_union': {
      const names = alternatives(defOf(issue));
      const isObject = found !== null && typeof found === 'object' && !Array.isArray(found);
      if (names.length && names.every((n) => n.startsWith('.'))) {
        // Objects told apart by their one required field (lab.yaml steps).
        const fields = names.map((n) => n.slice(1)).join(', ');
        if (!isObject) return L(`${fields} 중 한 항목을 가진 객체여야 하는데 ${typeOf(found).ko}입니다`, `expected an object with one of the fields ${fields}, found ${typeOf(found).en}`);
        const keys = Object.keys(found as object).join(', ') || '(none)';
        return L(`${fields} 중 꼭 한 항목이 있어야 하는데 있는 항목은 ${keys}입니다`, `needs exactly one of the fields ${fields}, found ${keys}`);
      }
      return L(`${mustBe(names.map((n) => KO_TYPES[n] ?? n).join(' 또는 '))} 하는데 ${typeOf(found).ko}입니다`, `expected ${names.join(' or ')}, found ${typeOf(found).en}`);
    }
    case 'custom': {
      const params = issue.params as Partial<Localized> | undefined;
      if (params?.ko && params.en) return L(params.ko, params.en);
      return L('맞지 않는 값입니다', 'is not valid');
    }
    default:
      return L(String(issue.message ?? issue.code), String(issue.message ?? issue.code));
  }
}

type Line = { path: string; text: Localized };

/** A union branch that is not the one meant: it misses its own first field or has fields it does not know. */
function branchMisses(issues: readonly Zod.core.$ZodIssue[]): boolean {
  return issues.some((i) => (i.code === 'unrecognized_keys' && i.path.length === 0) || (i.code === 'invalid_type' && i.input === undefined && i.path.length === 1));
}

function lines(issues: readonly Zod.core.$ZodIssue[], texts: Localized[], base: readonly PropertyKey[] = []): Line[] {
  const out: Line[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'invalid_union' && issue.errors.length && input !== null && typeof input === 'object' && !Array.isArray(input)) {
      // The branch meant is the one whose fields the value has; its own problems say more than "no branch fits".
      const meant = issue.errors.filter((branch) => !branchMisses(branch)).sort((a, b) => a.length - b.length)[0];
      if (meant) {
        out.push(...lines(meant, texts, path));
        continue;
      }
    }
    const text = texts[Number(issue.message)] ?? L(issue.message, issue.message);
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) out.push({ path: fieldPath([...path, key]), text });
    else out.push({ path: fieldPath(path), text });
  }
  return out;
}

export type Validator<T> = (data: unknown, where: string, heading: Localized) => T;

/**
 * A function that returns the data as the definition reads it, or throws a LabError:
 * "<heading> (<where>)\n  <field path>: <what was expected>" for up to 8 fields.
 * Takes a zod schema, or a plain JSON Schema object (for shapes that only a test checks).
 */
export function validator<S extends Zod.ZodType>(schema: S): Validator<Zod.output<S>>;
export function validator<T = unknown>(schema: object): Validator<T>;
export function validator(schema: Zod.ZodType | object): Validator<unknown> {
  const zod = schema instanceof z.ZodType ? schema : z.fromJSONSchema(schema as Zod.core.JSONSchema.JSONSchema);
  return (data, where, heading) => {
    // Zod asks for each issue's message with the schema that raised it; the message kept is an
    // index into `texts`, where the text in both languages is.
    const texts: Localized[] = [];
    const result = zod.safeParse(data, { jitless: true, reportInput: true, error: (issue) => String(texts.push(issueText(issue)) - 1) });
    if (result.success) return result.data;
    const seen = new Set<string>();
    const found: Line[] = [];
    for (const line of lines(result.error.issues, texts)) {
      const key = `${line.path}|${line.text.en}`;
      if (!seen.has(key)) (seen.add(key), found.push(line));
    }
    const first = found.slice(0, 8);
    const more = found.length - first.length;
    const body = (lang: 'ko' | 'en') =>
      first.map((l) => `  ${l.path}: ${l.text[lang]}`).join('\n') +
      (more > 0 ? (lang === 'ko' ? `\n  … 그 밖에 ${more}개` : `\n  … and ${more} more`) : '');
    throw new LabError(L(`${heading.ko} (${where})\n${body('ko')}`, `${heading.en} (${where})\n${body('en')}`));
  };
}

/**
 * The published JSON Schema of a format, in draft-07: the newest draft yaml-language-server (the
 * YAML support of VS Code and other editors, which reads the `# yaml-language-server: $schema=…`
 * line, a path relative to the file) supports, as its README (redhat-developer/yaml-language-server)
 * says.
 */
export function jsonSchema(schema: Zod.ZodType, info: { title: string; description: Localized }): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'throw',
    // What zod adds that says nothing: an integer's safe-integer bounds, a map's string keys.
    override: ({ jsonSchema: js }) => {
      if (js.maximum === Number.MAX_SAFE_INTEGER) delete js.maximum;
      if (js.minimum === Number.MIN_SAFE_INTEGER) delete js.minimum;
      if (js.propertyNames && Object.keys(js.propertyNames).length === 1 && (js.propertyNames as { type?: unknown }).type === 'string') delete js.propertyNames;
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = out;
  return { $schema, title: info.title, description: info.description.en, [KO_DESCRIPTION]: info.description.ko, ...rest };
}
