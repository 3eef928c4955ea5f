import { MalformedReplyError } from './server-reply.js';

// A small namespace-aware XML reader for SOAP envelopes, written for untrusted input: no document
// type declarations (SOAP 1.2 forbids them, part 1 §5), so no entities beyond the five predefined
// ones and character references, and nothing is ever fetched or expanded. It reads a string the
// caller has already bounded in one pass, without recursion. Its errors never quote the input.

export interface XmlElement {
  /** The namespace URI ('' when none). */
  ns: string;
  /** The local name. */
  name: string;
  /** Attributes by local name (`xml:lang` as `lang`); namespace declarations are not kept. */
  attrs: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** The element's own character data, every piece directly inside it joined. */
  text: string;
}

/** Deeper than any SOAP envelope (a WS-Man response nests about 6 levels). */
export const MAX_XML_DEPTH = 64;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /[^\s/>=<"':]+(?::[^\s/>=<"':]+)?/y;
const ATTRIBUTE = /\s+([^\s/>=<"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

const malformed = (why: string) => new MalformedReplyError(`malformed XML: ${why}`);

/** Text with its entity and character references replaced. */
function decode(text: string): string {
  return text.replace(/&([^;&\s]{0,12});?/g, (all, ref: string) => {
    if (!all.endsWith(';')) throw malformed('an unterminated reference');
    const known = PREDEFINED.get(ref);
    if (known !== undefined) return known;
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (m === null) throw malformed('an unknown entity');
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (code === 0 || code > 0x10ffff) throw malformed('a character reference out of range');
    return String.fromCodePoint(code);
  });
}

interface Open {
  qname: string;
  element: XmlElement;
  scope: ReadonlyMap<string, string>;
}

/** Reads one element and what is inside it; throws MalformedReplyError on anything else. */
export function parseXml(source: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipPast = (end: string, what: string) => {
    const at = source.indexOf(end, i);
    if (at < 0) throw malformed(`an unterminated ${what}`);
    i = at + end.length;
  };
  while (i < source.length) {
    const open = stack.at(-1);
    if (source[i] !== '<') {
      const next = source.indexOf('<', i);
      const raw = source.slice(i, next < 0 ? source.length : next);
      i = next < 0 ? source.length : next;
      if (open !== undefined) open.element.text += decode(raw);
      else if (raw.trim() !== '') throw malformed('text outside the root element');
    } else if (source.startsWith('<?', i)) skipPast('?>', 'processing instruction');
    else if (source.startsWith('<!--', i)) skipPast('-->', 'comment');
    else if (source.startsWith('<![CDATA[', i)) {
      const at = source.indexOf(']]>', i);
      if (open === undefined || at < 0) throw malformed('a misplaced CDATA section');
      open.element.text += source.slice(i + 9, at);
      i = at + 3;
    } else if (source.startsWith('<!', i)) throw malformed('a document type declaration');
    else if (source.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const qname = NAME.exec(source)?.[0];
      const close = source.indexOf('>', i);
      if (open === undefined || qname !== open.qname || close < 0) {
        throw malformed('a mismatched end tag');
      }
      if (source.slice(i + 2 + qname.length, close).trim() !== '') throw malformed('a bad end tag');
      stack.pop();
      i = close + 1;
    } else {
      if (root !== undefined && open === undefined) throw malformed('a second root element');
      if (stack.length >= MAX_XML_DEPTH) throw malformed(`nested deeper than ${MAX_XML_DEPTH}`);
      const started = startTag(source, i, open?.scope ?? new Map([['xml', XML_NS]]));
      i = started.end;
      open?.element.children.push(started.open.element);
      root ??= started.open.element;
      if (!started.empty) stack.push(started.open);
    }
  }
  if (root === undefined || stack.length > 0) throw malformed('the document ends early');
  return root;
}

/** Far above any WS-Management answer (Windows' declare about ten); see startTag. */
export const MAX_ATTRIBUTES = 128;
export const MAX_NAMESPACES = 64;

/** A start tag at `at`: its element, its namespace scope, where it ends, and whether it is empty. */
function startTag(
  source: string,
  at: number,
  parentScope: ReadonlyMap<string, string>,
): { open: Open; end: number; empty: boolean } {
  NAME.lastIndex = at + 1;
  const qname = NAME.exec(source)?.[0];
  if (qname === undefined) throw malformed('a bad start tag');
  let i = at + 1 + qname.length;
  const raw: [string, string][] = [];
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const m = ATTRIBUTE.exec(source);
    if (m === null) break;
    raw.push([m[1]!, decode(m[2] ?? m[3] ?? '')]);
    if (raw.length > MAX_ATTRIBUTES) throw malformed(`more than ${MAX_ATTRIBUTES} attributes`);
    i = ATTRIBUTE.lastIndex;
  }
  while (/\s/.test(source[i] ?? '')) i++;
  const empty = source.startsWith('/>', i);
  if (!empty && source[i] !== '>') throw malformed('a bad start tag');
  let scope = parentScope;
  for (const [name, value] of raw) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
    }
  }
  // Each element that declares one copies its scope: bounded, so copies stay cheap however many
  // elements declare (an envelope of thousands of declarations would otherwise cost seconds).
  if (scope.size > MAX_NAMESPACES)
    throw malformed(`more than ${MAX_NAMESPACES} namespaces in scope`);
  const resolve = (q: string, isAttribute: boolean): [string, string] => {
    const colon = q.indexOf(':');
    if (colon < 0) return [isAttribute ? '' : (scope.get('') ?? ''), q];
    const ns = scope.get(q.slice(0, colon));
    if (ns === undefined) throw malformed('an undeclared namespace prefix');
    return [ns, q.slice(colon + 1)];
  };
  const attrs = new Map<string, string>();
  for (const [name, value] of raw) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) attrs.set(resolve(name, true)[1], value);
  }
  const [ns, name] = resolve(qname, false);
  return {
    open: { qname, scope, element: { ns, name, attrs, children: [], text: '' } },
    end: i + (empty ? 2 : 1),
    empty,
  };
}

/** The first child of `parent` named `name` in namespace `ns`. */
export function child(
  parent: XmlElement | undefined,
  ns: string,
  name: string,
): XmlElement | undefined {
  return parent?.children.find((c) => c.ns === ns && c.name === name);
}

/** Every element below `root` (at any depth) named `name` in namespace `ns`, in document order. */
export function descendants(root: XmlElement, ns: string, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const todo = [...root.children].reverse();
  for (let e = todo.pop(); e !== undefined; e = todo.pop()) {
    if (e.ns === ns && e.name === name) found.push(e);
    for (let k = e.children.length - 1; k >= 0; k--) todo.push(e.children[k]!);
  }
  return found;
}

// CR too: a parser would read a bare CR (or CRLF) as LF (XML 1.0 §2.11).
const ESCAPES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
  ['\r', '&#13;'],
]);

/** Text escaped for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (ch) => ESCAPES.get(ch)!);
}

/**
 * Whether XML 1.0 can carry `text` at all: no control characters but tab, LF and CR (not even
 * escaped), no lone surrogates, no U+FFFE/U+FFFF.
 */
export function xmlCanCarry(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 excludes are control characters
  return !/[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
    text,
  );
}
