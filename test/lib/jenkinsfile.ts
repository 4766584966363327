/**
 * A reader for the subset of declarative Jenkinsfiles the kit's simulated Jenkins runs. The live
 * platform's Jenkins is the real judge (the e2e workflow runs the labs' Jenkinsfiles there); this
 * reader exists so that the kit tests can run the same files without a Jenkins, and it refuses
 * loudly whatever it does not model instead of guessing.
 *
 * Two layers:
 * 1. `parseGroovy`: Groovy's surface syntax as far as Jenkinsfiles use it — method calls with or
 *    without parentheses, named arguments, closures, lists, `NAME = value` assignments, strings
 *    ('…', "…", '''…''', """…""") with Groovy's escapes, GStrings with `${…}`/`$name`
 *    placeholders, comments. Its output has the same shape as test/lib/GroovyAst.groovy prints
 *    from the real Groovy parser's AST, and a kit test compares the two for every Jenkinsfile.
 * 2. `readPipeline`: the declarative subset on top of it —
 *      pipeline { agent { label '…' }  environment { NAME = '…' | "…${env.X}…" }  stages { … } }
 *      stage('Name') { steps { … } }
 *    and the steps
 *      sh '…' | sh(script: '…')      echo '…'      container('name') { … }      dir('path') { … }
 *      git url: '…', branch: '…', credentialsId: '…'
 *      withCredentials([usernamePassword(credentialsId: '…', usernameVariable: 'U', passwordVariable: 'P')]) { … }
 *    Anything else (post, when, options, parallel, script, agent per stage, …) is an error.
 */

export type GValue =
  | { string: string }
  | { gstring: string }
  | { number: number }
  | { bool: boolean }
  | { list: GValue[] }
  | { map: { key: string; value: GValue }[] }
  | { ident: string }
  | GCall;
export interface GArg {
  name?: string;
  value: GValue;
}
export interface GCall {
  call: string;
  args: GArg[];
  block?: GStatement[];
  /** Line of the call (not part of the comparison with Groovy's AST). */
  line?: number;
}
export type GStatement = GCall | { assign: string; value: GValue; line?: number };

export class JenkinsfileError extends Error {}

/** A construct the simulation does not model (the Jenkinsfile may well be valid). */
export class NotSimulated extends JenkinsfileError {}

type Token =
  | { t: 'ident'; v: string; line: number }
  | { t: 'string'; v: string; g: boolean; line: number }
  | { t: 'number'; v: number; line: number }
  | { t: 'punct'; v: string; line: number }
  | { t: 'nl'; line: number };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"', $: '\u0000$' };

/** Groovy string escapes. `\$` is kept as a marker so that a GString does not interpolate it. */
function unescape(raw: string, line: number): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|\r?\n|.)/g, (_m, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e === '\n' || e === '\r\n') return ''; // line continuation
    const v = ESCAPES[e];
    if (v === undefined) throw new JenkinsfileError(`line ${line}: unexpected escape \\${e} (Groovy refuses it too)`);
    return v;
  });
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const count = (s: string) => (line += (s.match(/\n/g) ?? []).length);
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      out.push({ t: 'nl', line });
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new JenkinsfileError(`line ${line}: unterminated comment`);
      count(src.slice(i, end));
      i = end + 2;
    } else if (src.startsWith("'''", i) || src.startsWith('"""', i)) {
      const q = src.slice(i, i + 3);
      const end = src.indexOf(q, i + 3);
      if (end < 0) throw new JenkinsfileError(`line ${line}: unterminated ${q} string`);
      const raw = src.slice(i + 3, end);
      out.push({ t: 'string', v: unescape(raw, line), g: q === '"""', line });
      count(raw);
      i = end + 3;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        if (src[j] === '\n') throw new JenkinsfileError(`line ${line}: a ${c}…${c} string cannot span lines`);
        j++;
      }
      if (j >= src.length) throw new JenkinsfileError(`line ${line}: unterminated string`);
      out.push({ t: 'string', v: unescape(src.slice(i + 1, j), line), g: c === '"', line });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i))!;
      out.push({ t: 'ident', v: m[0], line });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i))!;
      out.push({ t: 'number', v: Number(m[0]), line });
      i += m[0].length;
    } else if ('{}()[],:=.'.includes(c)) {
      out.push({ t: 'punct', v: c, line });
      i++;
    } else throw new JenkinsfileError(`line ${line}: unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

/** A GString's text in the form Groovy's AST gives it: literal parts, and `${expr}` for each value. */
function gstringText(v: string, line: number): GValue {
  let out = '';
  let interpolated = false;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\u0000' && v[i + 1] === '$') {
      out += '$';
      i++;
    } else if (v[i] === '$' && v[i + 1] === '{') {
      const end = v.indexOf('}', i);
      if (end < 0) throw new JenkinsfileError(`line ${line}: unterminated \${ in a GString`);
      out += `\${${v.slice(i + 2, end).trim()}}`;
      interpolated = true;
      i = end;
    } else if (v[i] === '$' && /[A-Za-z_]/.test(v[i + 1] ?? '')) {
      const m = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*/.exec(v.slice(i + 1))!;
      out += `\${${m[0]}}`;
      interpolated = true;
      i += m[0].length;
    } else if (v[i] === '$') throw new JenkinsfileError(`line ${line}: a lone $ in a "…" string is an error in Groovy; escape it as \\$`);
    else out += v[i];
  }
  return interpolated ? { gstring: out } : { string: out };
}

/** Parse Groovy's surface syntax (see the file header) into statements. */
export function parseGroovy(src: string): GStatement[] {
  const tokens = tokenize(src);
  let p = 0;
  const peek = (k = 0) => tokens[p + k];
  const isPunct = (tok: Token | undefined, v: string) => tok?.t === 'punct' && tok.v === v;
  const skipNl = () => {
    while (peek()?.t === 'nl') p++;
  };
  const fail = (what: string): never => {
    const tok = peek();
    throw new JenkinsfileError(`line ${tok?.line ?? 'end'}: ${what}`);
  };
  const expect = (v: string) => {
    skipNl();
    if (!isPunct(peek(), v)) fail(`expected "${v}"`);
    p++;
  };

  const value = (): GValue => {
    skipNl();
    const tok = peek();
    if (!tok) return fail('expected a value');
    if (tok.t === 'string') {
      p++;
      return tok.g ? gstringText(tok.v, tok.line) : { string: tok.v.replace(/\u0000\$/g, '$') };
    }
    if (tok.t === 'number') {
      p++;
      return { number: tok.v };
    }
    if (isPunct(tok, '[')) {
      p++;
      const list: GValue[] = [];
      skipNl();
      if (peek()?.t === 'ident' && isPunct(peek(1), ':')) fail('map literals are not in the subset');
      while (!isPunct(peek(), ']')) {
        list.push(value());
        skipNl();
        if (isPunct(peek(), ',')) p++;
        skipNl();
        if (!peek()) fail('unterminated list');
      }
      p++;
      return { list };
    }
    if (tok.t === 'ident') {
      if (tok.v === 'true' || tok.v === 'false') {
        p++;
        return { bool: tok.v === 'true' };
      }
      if (isPunct(peek(1), '(')) return call();
      p++;
      let name = tok.v;
      while (isPunct(peek(), '.') && peek(1)?.t === 'ident') {
        name += `.${(peek(1) as { v: string }).v}`;
        p += 2;
      }
      return { ident: name };
    }
    return fail(`unexpected ${tok.t === 'punct' ? `"${tok.v}"` : tok.t}`);
  };

  /** Arguments: positional values and `name: value` pairs, until `)` or the end of the line. */
  const args = (closing: ')' | 'nl'): GArg[] => {
    const out: GArg[] = [];
    const named: { key: string; value: GValue }[] = [];
    const done = () => (closing === ')' ? isPunct(peek(), ')') : !peek() || peek()!.t === 'nl' || isPunct(peek(), '}') || isPunct(peek(), '{'));
    if (closing === ')') skipNl();
    while (!done()) {
      const tok = peek();
      if (tok?.t === 'ident' && isPunct(peek(1), ':')) {
        p += 2;
        named.push({ key: tok.v, value: value() });
      } else out.push({ value: value() });
      if (closing === ')') skipNl();
      if (isPunct(peek(), ',')) {
        p++;
        if (closing === ')') skipNl();
        else if (peek()?.t === 'nl') skipNl();
      } else if (!done()) fail('expected "," between arguments');
    }
    // Groovy collects named arguments into one map, passed first.
    return [...named.map((n) => ({ name: n.key, value: n.value })), ...out];
  };

  const call = (): GCall => {
    const tok = peek() as { t: 'ident'; v: string; line: number };
    p++;
    const c: GCall = { call: tok.v, args: [], line: tok.line };
    if (isPunct(peek(), '(')) {
      p++;
      c.args = args(')');
      expect(')');
    } else if (!isPunct(peek(), '{') && peek()?.t !== 'nl' && !isPunct(peek(), '}')) {
      c.args = args('nl');
    }
    if (isPunct(peek(), '{')) {
      p++;
      c.block = block();
      expect('}');
    }
    return c;
  };

  const block = (): GStatement[] => {
    const out: GStatement[] = [];
    for (;;) {
      skipNl();
      const tok = peek();
      if (!tok || isPunct(tok, '}')) return out;
      if (tok.t !== 'ident') fail(`expected a statement, found ${tok.t === 'punct' ? `"${tok.v}"` : tok.t}`);
      if (isPunct(peek(1), '=')) {
        p += 2;
        out.push({ assign: (tok as { v: string }).v, value: value(), line: tok.line });
      } else out.push(call());
    }
  };

  const statements = block();
  skipNl();
  if (p < tokens.length) fail('unexpected "}"');
  return statements;
}

/** The statements without line numbers: the shape test/lib/GroovyAst.groovy prints. */
export function withoutLines(statements: GStatement[]): unknown {
  return JSON.parse(JSON.stringify(statements, (k, v) => (k === 'line' ? undefined : v)));
}

// --- The declarative subset ------------------------------------------------------------------

export type Step =
  | { sh: GValue; line: number }
  | { echo: GValue; line: number }
  | { container: string; steps: Step[]; line: number }
  | { dir: string; steps: Step[]; line: number }
  | { git: { url: string; branch: string; credentialsId?: string }; line: number }
  | { withCredentials: { credentialsId: string; usernameVariable: string; passwordVariable: string }[]; steps: Step[]; line: number };

export interface Stage {
  name: string;
  steps: Step[];
}

export interface Pipeline {
  agentLabel: string;
  environment: { name: string; value: GValue }[];
  stages: Stage[];
}

const notInSubset = (what: string, line?: number) =>
  new NotSimulated(`line ${line ?? '?'}: ${what} is not in the simulated declarative subset (test/lib/jenkinsfile.ts); the platform's Jenkins runs it, the kit's simulation does not`);

function onlyString(arg: GArg | undefined, what: string, line?: number): string {
  if (arg && 'string' in arg.value) return arg.value.string;
  throw new JenkinsfileError(`line ${line ?? '?'}: ${what} must be a plain string`);
}

function named(c: GCall, name: string): GValue | undefined {
  return c.args.find((a) => a.name === name)?.value;
}

function readSteps(statements: GStatement[]): Step[] {
  return statements.map((s): Step => {
    if (!('call' in s)) throw notInSubset(`an assignment (${s.assign} = …) among steps`, s.line);
    const line = s.line ?? 0;
    switch (s.call) {
      case 'sh': {
        const script = named(s, 'script') ?? (s.args.length === 1 && !s.args[0].name ? s.args[0].value : undefined);
        if (!script || s.args.some((a) => a.name && a.name !== 'script')) throw notInSubset(`sh with options other than script`, line);
        if (!('string' in script) && !('gstring' in script)) throw new JenkinsfileError(`line ${line}: sh needs a string`);
        return { sh: script, line };
      }
      case 'echo':
        return { echo: s.args[0]?.value ?? { string: '' }, line };
      case 'container':
      case 'dir':
        if (!s.block) throw new JenkinsfileError(`line ${line}: ${s.call}(…) needs a block`);
        return s.call === 'container'
          ? { container: onlyString(s.args[0], 'container name', line), steps: readSteps(s.block), line }
          : { dir: onlyString(s.args[0], 'dir path', line), steps: readSteps(s.block), line };
      case 'git': {
        const get = (k: string) => {
          const v = named(s, k);
          return v && 'string' in v ? v.string : undefined;
        };
        const url = get('url');
        if (!url) throw new JenkinsfileError(`line ${line}: git needs url: '…'`);
        return { git: { url, branch: get('branch') ?? 'master', credentialsId: get('credentialsId') }, line };
      }
      case 'withCredentials': {
        const list = s.args[0]?.value;
        if (!list || !('list' in list) || !s.block) throw new JenkinsfileError(`line ${line}: withCredentials([…]) { … }`);
        const bindings = list.list.map((b) => {
          if (!('call' in b) || b.call !== 'usernamePassword') throw notInSubset('a credentials binding other than usernamePassword(…)', line);
          const field = (k: string) => {
            const v = b.args.find((a) => a.name === k)?.value;
            if (!v || !('string' in v)) throw new JenkinsfileError(`line ${line}: usernamePassword needs ${k}: '…'`);
            return v.string;
          };
          return { credentialsId: field('credentialsId'), usernameVariable: field('usernameVariable'), passwordVariable: field('passwordVariable') };
        });
        return { withCredentials: bindings, steps: readSteps(s.block), line };
      }
      default:
        throw notInSubset(`the step ${s.call}`, line);
    }
  });
}

/** Read a declarative Jenkinsfile of the subset (see the file header). */
export function readPipeline(src: string): Pipeline {
  const top = parseGroovy(src);
  if (top.length !== 1 || !('call' in top[0]) || top[0].call !== 'pipeline' || !top[0].block) {
    throw new NotSimulated('a Jenkinsfile other than one declarative pipeline { … } block (a scripted pipeline) is not simulated');
  }
  const pipeline: Pipeline = { agentLabel: '', environment: [], stages: [] };
  for (const section of top[0].block) {
    if (!('call' in section)) throw notInSubset(`an assignment at the top of pipeline { }`, section.line);
    switch (section.call) {
      case 'agent': {
        const label = section.block?.length === 1 && 'call' in section.block[0] && section.block[0].call === 'label' ? section.block[0] : undefined;
        if (!label) throw notInSubset(`an agent other than agent { label '…' }`, section.line);
        pipeline.agentLabel = onlyString(label.args[0], 'the agent label', section.line);
        break;
      }
      case 'environment':
        for (const e of section.block ?? []) {
          if (!('assign' in e)) throw new JenkinsfileError(`line ${e.line}: environment { } holds NAME = value lines`);
          if (!('string' in e.value) && !('gstring' in e.value)) throw notInSubset(`an environment value other than a string (${e.assign})`, e.line);
          pipeline.environment.push({ name: e.assign, value: e.value });
        }
        break;
      case 'stages':
        for (const st of section.block ?? []) {
          if (!('call' in st) || st.call !== 'stage' || !st.block) throw new JenkinsfileError(`line ${st.line}: stages { } holds stage('Name') { … } blocks`);
          const name = onlyString(st.args[0], 'a stage name', st.line);
          const inner = st.block;
          const steps = inner.find((x): x is GCall => 'call' in x && x.call === 'steps');
          const other = inner.find((x) => !('call' in x) || x.call !== 'steps');
          if (other) throw notInSubset(`"${'call' in other ? other.call : 'an assignment'}" in stage ${name}`, other.line);
          if (!steps?.block) throw new JenkinsfileError(`line ${st.line}: stage ${name} has no steps { }`);
          pipeline.stages.push({ name, steps: readSteps(steps.block) });
        }
        break;
      default:
        throw notInSubset(`the section ${section.call}`, section.line);
    }
  }
  if (!pipeline.agentLabel) throw new JenkinsfileError('pipeline { } has no agent');
  if (!pipeline.stages.length) throw new JenkinsfileError('pipeline { } has no stages');
  return pipeline;
}

/**
 * The value of a string at run time: a GString's `${env.NAME}` and `${NAME}` read the
 * environment, as Pipeline's script binding does; any other expression is refused.
 */
export function evaluate(v: GValue, env: Record<string, string>, line = 0): string {
  if ('string' in v) return v.string;
  if (!('gstring' in v)) throw new JenkinsfileError(`line ${line}: expected a string`);
  return v.gstring.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => {
    const m = /^(?:env\.)?([A-Za-z_]\w*)$/.exec(expr);
    if (!m) throw notInSubset(`the expression \${${expr}}`, line);
    const value = env[m[1]];
    if (value === undefined) throw new JenkinsfileError(`line ${line}: groovy.lang.MissingPropertyException: No such property: ${m[1]}`);
    return value;
  });
}
