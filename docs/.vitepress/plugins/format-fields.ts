/**
 * `<!-- @fields: <format> -->` in a page becomes the table of that format's fields, in the page's
 * language, made from the format's published JSON Schema (src/formats.ts), which comes from the
 * same definition the kit's loader checks files with: a field, its type, whether it is required
 * and its description are never typed into a page. `<!-- @fields: lab#Step -->` renders one of
 * the schema's definitions (here, a start/solve step). An unknown format fails the build.
 *
 * A field is listed when its definition describes it; the fields of an object that belongs to
 * another system (a Kubernetes object, a Jenkins build) are that system's and are not listed.
 */
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { pageLang } from '../../../src/catalog.js';
import { FORMATS, formatSchema, type FormatId } from '../../../src/formats.js';
import type { Lang } from '../../../src/i18n.js';
import { KO_DESCRIPTION } from '../../../src/schema.js';

const DIRECTIVE = /^<!--\s*@fields:\s*([\w-]+)(?:#(\w+))?\s*-->$/gm;

type Node = Record<string, any>;

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

const KEBAB = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** How the page names a schema's shared definitions. */
const DEFINITIONS: Record<string, Record<Lang, string>> = {
  Localized: { ko: 'ko·en 문장', en: 'text in ko and en' },
  Step: { ko: '단계', en: 'step' },
};
const WORDS = {
  string: { ko: '문자열', en: 'string' },
  integer: { ko: '정수', en: 'integer' },
  number: { ko: '숫자', en: 'number' },
  boolean: { ko: '참/거짓', en: 'boolean' },
  null: { ko: 'null', en: 'null' },
  object: { ko: '객체', en: 'object' },
  array: { ko: '배열', en: 'array' },
  kebab: { ko: 'id(소문자, 숫자, -)', en: 'id (lower case, digits, -)' },
  or: { ko: ' 또는 ', en: ' or ' },
  name: { ko: '<이름>', en: '<name>' },
} satisfies Record<string, Record<Lang, string>>;

/** English plurals of the labels a list can hold ("list of strings"). */
const PLURAL: Record<string, string> = {
  string: 'strings',
  integer: 'integers',
  object: 'objects',
  step: 'steps',
  'text in ko and en': 'texts in ko and en',
  'id (lower case, digits, -)': 'ids (lower case, digits, -)',
};

const refName = (node: Node): string | undefined => {
  const ref: string | undefined = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0].$ref : undefined);
  return ref?.replace(/^#\/definitions\//, '');
};

/** The description of a node in a language (Korean where the definition gives it). */
const described = (node: Node, lang: Lang): string | undefined => (lang === 'ko' ? (node[KO_DESCRIPTION] ?? node.description) : node.description);

function typeLabel(node: Node, lang: Lang, defs: Node): string {
  const ref = refName(node);
  if (ref) return DEFINITIONS[ref]?.[lang] ?? ref;
  if ('const' in node) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) {
    const values = node.enum.map((v: unknown) => `\`${v}\``).join(', ');
    return lang === 'ko' ? `${values} 중 하나` : `one of ${values}`;
  }
  if (node.anyOf) return node.anyOf.map((n: Node) => typeLabel(n, lang, defs)).join(WORDS.or[lang]);
  if (node.allOf) return WORDS.object[lang];
  const types: string[] = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types
    .map((type) => {
      if (type === 'string') return node.pattern === KEBAB ? WORDS.kebab[lang] : WORDS.string[lang];
      if (type === 'integer' || type === 'number') {
        const word = WORDS[type as 'integer'][lang];
        if (node.minimum !== undefined && node.maximum !== undefined) return `${word} ${node.minimum}–${node.maximum}`;
        if (node.minimum !== undefined) return `${word} ≥ ${node.minimum}`;
        return word;
      }
      if (type === 'array') {
        const item = node.items ? typeLabel(node.items, lang, defs) : '';
        return lang === 'ko' ? `${item} 목록` : `list of ${PLURAL[item] ?? item}`;
      }
      if (type === 'object' && !node.properties && node.additionalProperties && Object.keys(node.additionalProperties).length) {
        const value = typeLabel(node.additionalProperties, lang, defs);
        return lang === 'ko' ? `${WORDS.name.ko} → ${value} 맵` : `map of ${WORDS.name.en} → ${value}`;
      }
      return WORDS[type as keyof typeof WORDS]?.[lang] ?? type;
    })
    .join(WORDS.or[lang]);
}

/** `^traffic\/` → `traffic/…` */
const patternKey = (pattern: string) => `${pattern.replace(/^\^/, '').replace(/\\\//g, '/')}…`;

function walk(node: Node, path: string, required: boolean, lang: Lang, defs: Node, rows: FieldRow[], expandRefs: boolean): void {
  const ref = refName(node);
  const description = described(node, lang);
  if (description && path) rows.push({ path, type: typeLabel(node, lang, defs), required, description });
  // A shared definition (a text in two languages, a step) is described once, not under every field that uses it.
  if (ref && !expandRefs) return;
  const target: Node = ref ? defs[ref] : node;
  const child = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, value] of Object.entries<Node>(target.properties ?? {})) walk(value, child(key), (target.required ?? []).includes(key), lang, defs, rows, false);
  for (const [pattern, value] of Object.entries<Node>(target.patternProperties ?? {})) walk(value, child(patternKey(pattern)), false, lang, defs, rows, false);
  const extra = target.additionalProperties;
  if (extra && typeof extra === 'object' && Object.keys(extra).length) walk(extra, child(WORDS.name[lang]), false, lang, defs, rows, false);
  if (target.items) walk(target.items, `${path}[]`, false, lang, defs, rows, false);
  for (const part of [...(target.allOf ?? []), ...(target.anyOf ?? [])] as Node[]) if (!refName(part)) walk({ ...part, description: undefined, [KO_DESCRIPTION]: undefined }, path, required, lang, defs, rows, false);
}

/** The fields of a format (or of one of its definitions), in the order the definition gives them. */
export function fieldRows(id: FormatId, lang: Lang, definition?: string): FieldRow[] {
  const schema = formatSchema(id) as Node;
  const defs: Node = schema.definitions ?? {};
  if (definition && !defs[definition]) throw new Error(`@fields: ${id} has no definition "${definition}" (it has ${Object.keys(defs).join(', ') || 'none'})`);
  const rows: FieldRow[] = [];
  walk(definition ? { ...defs[definition], description: undefined, [KO_DESCRIPTION]: undefined } : schema, '', true, lang, defs, rows, false);
  return rows;
}

// Cells are Markdown: code spans stay as written, and outside them `<name>` must not open an HTML tag.
const cell = (s: string) =>
  s
    .replace(/\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|');

export function fieldsTable(id: FormatId, lang: Lang, definition?: string): string {
  const head = lang === 'ko' ? ['항목', '형식', '필수', '뜻'] : ['Field', 'Type', 'Required', 'Meaning'];
  const rows = fieldRows(id, lang, definition).map((r) => `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? '✓' : ''} | ${cell(r.description)} |`);
  return [`| ${head.join(' | ')} |`, '|---|---|:-:|---|', ...rows].join('\n');
}

export function formatFieldsPlugin(md: MarkdownIt): void {
  md.core.ruler.before('normalize', 'cicd-lab-format-fields', (state) => {
    const page: string = state.env?.relativePath ?? '';
    const lang = pageLang(page);
    state.src = state.src.replace(DIRECTIVE, (_match, id: string, definition?: string) => {
      if (!(id in FORMATS)) throw new Error(`@fields: no format "${id}" in ${page} (the formats: ${Object.keys(FORMATS).join(', ')})`);
      return fieldsTable(id as FormatId, lang, definition);
    });
  });
}
