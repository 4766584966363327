/**
 * A small XML reader for Jenkins job definitions (config.xml): elements, attributes, text, comments,
 * CDATA, the five predefined entities and numeric character references. That is all config.xml
 * uses (Jenkins writes it with XStream). It refuses DOCTYPEs and anything malformed with an error
 * that says where, rather than guessing.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded, children's text excluded. */
  text: string;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(raw: string, at: () => string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlError(`unknown entity &${ref}; ${at()}`);
    return value;
  });
}

/** Parse a document and return its root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const where = () => {
    const before = text.slice(0, i);
    return `at line ${before.split('\n').length}, column ${i - before.lastIndexOf('\n')}`;
  };
  const fail = (what: string): never => {
    throw new XmlError(`${what} ${where()}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<!DOCTYPE', i)) fail('DOCTYPE is not supported');
      else return;
    }
  };
  const name = () => {
    const m = /^[A-Za-z_][\w.:-]*/.exec(text.slice(i, i + 200));
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };

  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') fail(`expected "=" after attribute ${attr}`);
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${attr}`);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) fail(`unterminated value of attribute ${attr}`);
      el.attributes[attr] = decode(text.slice(i + 1, end), where);
      i = end + 1;
    }
    let own = '';
    for (;;) {
      if (i >= text.length) fail(`element <${el.name}> is not closed`);
      if (text.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] !== '>') fail('expected ">"');
        i++;
        el.text = own;
        return el;
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA section');
        own += text.slice(i + 9, end);
        i = end + 3;
      } else if (text[i] === '<') el.children.push(element());
      else {
        const next = text.indexOf('<', i);
        const end = next < 0 ? text.length : next;
        own += decode(text.slice(i, end), where);
        i = end;
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (i < text.length) fail('unexpected content after the root element');
  return root;
}

/** The first child element with this name, following a path of names (`child(root, 'scm', 'branches')`). */
export function child(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = el;
  for (const step of path) current = current?.children.find((c) => c.name === step);
  return current;
}

/** The trimmed text of the element at a path, or undefined. */
export function childText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  const found = child(el, ...path);
  return found ? found.text.trim() : undefined;
}
