/**
 * Reads Jenkins job definitions (config.xml) with fast-xml-parser, into a small element tree the
 * readers walk (src/jenkins.ts, the simulated Jenkins): elements, attributes and each element's own
 * text (CDATA included).
 *
 * config.xml comes from the learner's Jenkins, so the reader is strict about what Jenkins itself
 * writes (XStream: the five predefined entities and numeric character references) and refuses the
 * rest with an XmlError: a malformed document, more than one root, an unknown entity, and any
 * DOCTYPE. A DOCTYPE is how entity tricks get in (entities that expand a thousandfold, or that name
 * a file), and Jenkins never writes one, so it is refused wherever it stands rather than processed.
 * fast-xml-parser hands every DOCTYPE it meets to its entity decoder (`addInputEntities`) and every
 * text and attribute value to `decode`, so the decoder below is where both rules live.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded, children's text excluded. */
  text: string;
}

export class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The entity decoder fast-xml-parser calls: XML's own entities only, DOCTYPEs refused. */
const strictEntities = {
  addInputEntities(): void {
    throw new XmlError('DOCTYPE is not allowed in a Jenkins config.xml (entities it declares are not expanded)');
  },
  setExternalEntities(): void {},
  setXmlVersion(): void {},
  reset(): void {},
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
      const hex = /^#x([0-9a-fA-F]+)$/.exec(ref);
      const dec = /^#([0-9]+)$/.exec(ref);
      const code = hex ? parseInt(hex[1], 16) : dec ? parseInt(dec[1], 10) : undefined;
      if (whole.endsWith(';') && code !== undefined && code <= 0x10ffff) return String.fromCodePoint(code);
      if (whole.endsWith(';') && PREDEFINED[ref] !== undefined) return PREDEFINED[ref];
      throw new XmlError(`unknown or malformed entity ${whole}`);
    });
  },
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
  entityDecoder: strictEntities,
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const SPECIAL = new Set(['#text', '#cdata', '#comment', ':@']);
const nameOf = (node: Node) => Object.keys(node).find((k) => !SPECIAL.has(k));
const textOf = (nodes: Node[]) => nodes.map((n) => String(n['#text'] ?? '')).join('');

function toElement(node: Node, name: string): XmlElement {
  const el: XmlElement = { name, attributes: { ...(node[':@'] ?? {}) }, children: [], text: '' };
  for (const child of node[name] as Node[]) {
    const childName = nameOf(child);
    if (childName) el.children.push(toElement(child, childName));
    else if ('#text' in child) el.text += String(child['#text']);
    else if ('#cdata' in child) el.text += textOf(child['#cdata'] as Node[]);
  }
  return el;
}

/** Parse a document and return its root element. */
export function parseXml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`${valid.err.msg.replace(/\.$/, '')}${valid.err.col ? ` at line ${valid.err.line}, column ${valid.err.col}` : ''}`);
  // fast-xml-parser drops text after the root element; a document ends with markup.
  if (!/>\s*$/.test(text)) throw new XmlError('unexpected content after the root element');
  let nodes: Node[];
  try {
    nodes = parser.parse(text) as Node[];
  } catch (error) {
    if (error instanceof XmlError) throw error;
    throw new XmlError((error as Error).message);
  }
  const roots = nodes.filter((n) => nameOf(n));
  if (nodes.some((n) => '#text' in n && String(n['#text']).trim() !== '')) throw new XmlError('text outside the root element');
  if (roots.length !== 1) throw new XmlError(roots.length ? `${roots.length} root elements (a document has one)` : 'no root element');
  return toElement(roots[0], nameOf(roots[0])!);
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
