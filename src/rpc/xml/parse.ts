/**
 * A small, strict XML reader for XML-RPC bodies.
 *
 * Why not the xmlrpc package's sax parser: XML-RPC needs only elements and text, and a
 * general parser brings the risks (DOCTYPE, external entities, entity expansion) and the
 * cost (events and closures per node) without any benefit. This reader knows elements,
 * text, CDATA, comments and the XML declaration; it refuses any DOCTYPE or ENTITY
 * declaration (no XXE, no "billion laughs"), refuses nesting deeper than `maxDepth`, and
 * reports errors the way Python's expat does ("not well-formed (invalid token): line 1,
 * column 5"), so the fault a client sees reads like Odoo's.
 */
import { PythonError } from '../../errors';

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Concatenated text (with CDATA) directly inside the element. */
  text: string;
}

/** xml.parsers.expat.ExpatError, as Odoo's xmlrpc.client.loads raises it on a bad body. */
export function expatError(message: string, source: string, offset: number): PythonError {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1);
  return new PythonError('xml.parsers.expat.ExpatError', `${message}: line ${line}, column ${column}`);
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
// XML 1.0 forbids these characters anywhere in a document.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string, source: string, offset: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]*);?/g, (whole, ref: string, at: number) => {
    if (!whole.endsWith(';')) throw expatError('not well-formed (invalid token)', source, offset + at);
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = Number.isInteger(code) && (code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff));
      if (!valid || !/^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(ref)) throw expatError('reference to invalid character number', source, offset + at);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) throw expatError('undefined entity', source, offset + at);
    return value;
  });
}

/** Parses a whole document into its root element. */
export function parseXml(source: string, maxDepth = 256): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  const n = source.length;
  if (source.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos < n) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      if (stack.length) stack[stack.length - 1].text += decodeText(raw, source, pos);
      else if (raw.trim()) throw expatError(root ? 'junk after document element' : 'syntax error', source, pos);
      const bad = CONTROL.exec(raw);
      if (bad) throw expatError('not well-formed (invalid token)', source, pos + bad.index);
    }
    if (lt === -1) break;
    pos = lt;
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end === -1) throw expatError('unclosed token', source, pos);
      const target = source.slice(pos + 2, end).split(/\s/)[0];
      if (target.toLowerCase() !== 'xml' || pos > 1) throw expatError('XML or text declaration not at start of entity', source, pos);
      pos = end + 2;
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos + 4);
      if (end === -1) throw expatError('unclosed token', source, pos);
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end === -1) throw expatError('unclosed CDATA section', source, pos);
      if (!stack.length) throw expatError('syntax error', source, pos);
      stack[stack.length - 1].text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      // DOCTYPE, ENTITY, ELEMENT…: never needed by XML-RPC and the door to XXE.
      throw expatError('DTD and entity declarations are refused', source, pos);
    } else if (source[pos + 1] === '/') {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(source);
      const close = source.indexOf('>', pos);
      if (!m || close === -1 || source.slice(NAME.lastIndex, close).trim()) throw expatError('not well-formed (invalid token)', source, pos);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw expatError('mismatched tag', source, pos);
      pos = close + 1;
    } else {
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(source);
      if (!m) throw expatError('not well-formed (invalid token)', source, pos + 1);
      const close = source.indexOf('>', NAME.lastIndex);
      if (close === -1) throw expatError('unclosed token', source, pos);
      let attrs = source.slice(NAME.lastIndex, close);
      const selfClosing = attrs.endsWith('/');
      if (selfClosing) attrs = attrs.slice(0, -1);
      // Attributes carry nothing in XML-RPC; check they are well-formed and drop them.
      if (attrs.trim() && !/^(\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*("[^"<]*"|'[^'<]*'))*\s*$/.test(attrs)) {
        throw expatError('not well-formed (invalid token)', source, NAME.lastIndex);
      }
      if (attrs && !/^\s/.test(attrs)) throw expatError('not well-formed (invalid token)', source, NAME.lastIndex);
      const element: XmlElement = { name: m[0], children: [], text: '' };
      if (stack.length) stack[stack.length - 1].children.push(element);
      else if (root) throw expatError('junk after document element', source, pos);
      else root = element;
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > maxDepth) throw expatError(`nesting deeper than ${maxDepth} levels is refused`, source, pos);
      }
      pos = close + 1;
    }
  }
  if (stack.length) throw expatError('no element found', source, n);
  if (!root) throw expatError('no element found', source, n);
  return root;
}
