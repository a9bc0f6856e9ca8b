/**
 * A small, strict XML reader and writer for the subset SUM uses: a prolog, comments, CDATA,
 * elements with quoted attributes, text, and the five named entities plus numeric references.
 * No DTDs, no namespaces. Pure functions.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), trimmed. */
  readonly text: string;
}

export class XmlError extends Error {
  readonly code = 'E_XML';
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlError';
  }
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

export function decodeEntities(text: string, offset = 0): string {
  return text.replace(/&([^;&\s]*);?/g, (match, body: string, at: number) => {
    if (!match.endsWith(';')) throw new XmlError(`unterminated entity "${match}"`, offset + at);
    if (body in NAMED) return NAMED[body] as string;
    const numeric = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(body);
    if (numeric?.[1] !== undefined) {
      const code = numeric[1].startsWith('x') ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10);
      if (code > 0x10ffff) throw new XmlError(`bad character reference "${match}"`, offset + at);
      return String.fromCodePoint(code);
    }
    throw new XmlError(`unknown entity "${match}"`, offset + at);
  });
}

/** Escapes markup, and characters beyond ISO-8859-1 (the encoding SUM declares) as character references. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u{100}-\u{10ffff}]/gu, (char) => `&#${char.codePointAt(0) ?? 0};`);
}

interface Building {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a document with exactly one root element. Throws XmlError on anything malformed. */
export function parseXml(source: string): XmlElement {
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let at = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const close = (element: Building): void => {
    const done: XmlElement = { name: element.name, attributes: element.attributes, children: element.children, text: element.text.trim() };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(done);
    else if (root === undefined) root = done;
    else throw new XmlError('more than one root element', at);
  };

  while (at < source.length) {
    const lt = source.indexOf('<', at);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > at) {
      const text = source.slice(at, textEnd);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decodeEntities(text, at);
      else if (text.trim() !== '') throw new XmlError('text outside the root element', at);
      at = textEnd;
      continue;
    }
    if (source.startsWith('<?', at)) {
      const end = source.indexOf('?>', at);
      if (end === -1) throw new XmlError('unterminated processing instruction', at);
      at = end + 2;
    } else if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at);
      if (end === -1) throw new XmlError('unterminated comment', at);
      at = end + 3;
    } else if (source.startsWith('<![CDATA[', at)) {
      const end = source.indexOf(']]>', at);
      const parent = stack[stack.length - 1];
      if (end === -1 || !parent) throw new XmlError('CDATA outside an element or unterminated', at);
      parent.text += source.slice(at + 9, end);
      at = end + 3;
    } else if (source.startsWith('<!', at)) {
      throw new XmlError('DTDs and declarations are not supported', at);
    } else if (source.startsWith('</', at)) {
      NAME.lastIndex = at + 2;
      const name = NAME.exec(source)?.[0];
      const open = stack.pop();
      if (name === undefined || open === undefined || open.name !== name) {
        throw new XmlError(`unexpected closing tag </${name ?? ''}>${open ? ` (open: <${open.name}>)` : ''}`, at);
      }
      at = skipSpace(source, at + 2 + name.length);
      if (source[at] !== '>') throw new XmlError(`malformed closing tag </${name}>`, at);
      at += 1;
      close(open);
    } else {
      if (root !== undefined && stack.length === 0) throw new XmlError('content after the root element', at);
      NAME.lastIndex = at + 1;
      const name = NAME.exec(source)?.[0];
      if (name === undefined) throw new XmlError('malformed tag', at);
      at += 1 + name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        const next = skipSpace(source, at);
        if (source.startsWith('/>', next)) {
          at = next + 2;
          close({ name, attributes, children: [], text: '' });
          break;
        }
        if (source[next] === '>') {
          at = next + 1;
          stack.push({ name, attributes, children: [], text: '' });
          break;
        }
        if (next === at) throw new XmlError(`malformed attributes in <${name}>`, next);
        NAME.lastIndex = next;
        const attribute = NAME.exec(source)?.[0];
        if (attribute === undefined) throw new XmlError(`malformed attribute in <${name}>`, next);
        let cursor = skipSpace(source, next + attribute.length);
        if (source[cursor] !== '=') throw new XmlError(`attribute ${attribute} has no value`, cursor);
        cursor = skipSpace(source, cursor + 1);
        const quote = source[cursor];
        if (quote !== '"' && quote !== "'") throw new XmlError(`attribute ${attribute} is not quoted`, cursor);
        const end = source.indexOf(quote, cursor + 1);
        if (end === -1) throw new XmlError(`unterminated attribute ${attribute}`, cursor);
        const raw = source.slice(cursor + 1, end);
        if (raw.includes('<')) throw new XmlError(`"<" in attribute ${attribute}`, cursor);
        if (attribute in attributes) throw new XmlError(`duplicate attribute ${attribute}`, next);
        attributes[attribute] = decodeEntities(raw, cursor + 1);
        at = end + 1;
      }
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1]?.name ?? ''}>`, at);
  if (root === undefined) throw new XmlError('no root element', at);
  return root;
}

function skipSpace(source: string, at: number): number {
  let cursor = at;
  while (cursor < source.length && ' \t\r\n'.includes(source[cursor] as string)) cursor += 1;
  return cursor;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text;
}
