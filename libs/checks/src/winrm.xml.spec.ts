import { describe, expect, it } from 'vitest';
import { MalformedReplyError } from './server-reply.js';
import {
  child,
  descendants,
  escapeXml,
  MAX_ATTRIBUTES,
  MAX_NAMESPACES,
  MAX_XML_DEPTH,
  parseXml,
  xmlCanCarry,
} from './winrm.xml.js';

describe('parseXml', () => {
  it('resolves namespaces by scope, whatever the prefixes', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<s:Envelope xmlns:s="urn:soap" xml:lang="en-US"><!-- hi -->' +
        '<s:Body><r xmlns="urn:shell" xmlns:q="urn:q"><Stream Name="stdout" q:End="true">QQ==</Stream>' +
        '<q:x/></r><t:Other xmlns:t="urn:soap"/></s:Body></s:Envelope>',
    );
    expect([root.ns, root.name, root.attrs.get('lang')]).toEqual(['urn:soap', 'Envelope', 'en-US']);
    const body = child(root, 'urn:soap', 'Body')!;
    const stream = descendants(body, 'urn:shell', 'Stream')[0]!;
    expect([stream.text, stream.attrs.get('Name'), stream.attrs.get('End')]).toEqual([
      'QQ==',
      'stdout',
      'true',
    ]);
    expect(descendants(body, 'urn:q', 'x')).toHaveLength(1);
    expect(child(body, 'urn:soap', 'Other')).toBeDefined();
  });

  it('refuses an element of too many attributes, or a scope of too many namespaces', () => {
    // A hostile answer of thousands of declarations, each element copying its scope, once cost
    // about 20 s of CPU in 150 KB: scopes are bounded now.
    const declarations = (n: number) =>
      Array.from({ length: n }, (_, i) => ` xmlns:p${i}="urn:${i}"`).join('');
    expect(() => parseXml(`<a${declarations(MAX_NAMESPACES + 1)}/>`)).toThrow(
      new MalformedReplyError(`malformed XML: more than ${MAX_NAMESPACES} namespaces in scope`),
    );
    const nested = `<a${declarations(40)}><b${declarations(40).replaceAll('p', 'q')}/></a>`;
    expect(() => parseXml(nested)).toThrow(/more than 64 namespaces in scope/);
    const attributes = Array.from({ length: MAX_ATTRIBUTES + 1 }, (_, i) => ` a${i}="x"`).join('');
    expect(() => parseXml(`<a${attributes}/>`)).toThrow(/more than 128 attributes/);
    // Within the bounds, thousands of declaring elements are read (each copy is small).
    const many = `<a${declarations(60)}>${'<b xmlns:c=""/>'.repeat(5000)}</a>`;
    expect(parseXml(many).children).toHaveLength(5000);
  });

  it('reads references, CDATA and attributes in either quote', () => {
    const root = parseXml(
      `<a b='x&quot;y' c="&#65;&#x42;">1 &lt; 2 &amp;&amp; <![CDATA[<raw>]]></a>`,
    );
    expect(root.attrs.get('b')).toBe('x"y');
    expect(root.attrs.get('c')).toBe('AB');
    expect(root.text).toBe('1 < 2 && <raw>');
  });

  it.each([
    ['<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>', 'a document type declaration'],
    ['<a>&x;</a>', 'an unknown entity'],
    ['<a>&amp</a>', 'an unterminated reference'],
    ['<a><b></a></b>', 'a mismatched end tag'],
    ['<a>', 'the document ends early'],
    ['<a/><b/>', 'a second root element'],
    ['text', 'text outside the root element'],
    ['<x:a/>', 'an undeclared namespace prefix'],
    ['<a b=c/>', 'a bad start tag'],
    ['<a>&#0;</a>', 'a character reference out of range'],
    ['', 'the document ends early'],
    ['<a>'.repeat(MAX_XML_DEPTH + 1), `nested deeper than ${MAX_XML_DEPTH}`],
  ])('refuses %j', (xml, why) => {
    expect(() => parseXml(xml)).toThrow(new MalformedReplyError(`malformed XML: ${why}`));
  });

  it('reads a large document in linear time, without recursion', () => {
    const deep = `${'<a>'.repeat(MAX_XML_DEPTH)}${'</a>'.repeat(MAX_XML_DEPTH)}`;
    expect(parseXml(deep).children).toHaveLength(1);
    const wide = `<r>${'<s n="1">QUFB</s>'.repeat(20_000)}</r>`;
    expect(parseXml(wide).children).toHaveLength(20_000);
  });
});

describe('escapeXml and xmlCanCarry', () => {
  it('escapes markup and CR, and knows what XML 1.0 cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\r\n`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;&#13;\n');
    expect(parseXml(`<a>${escapeXml('dir "C:\\" & echo <ok>\r\n')}</a>`).text).toBe(
      'dir "C:\\" & echo <ok>\r\n',
    );
    expect(xmlCanCarry('type C:\\flag.txt\t| findstr Team\r\n')).toBe(true);
    expect(xmlCanCarry('echo \x01')).toBe(false);
    expect(xmlCanCarry('echo \ud800')).toBe(false);
    expect(xmlCanCarry('echo 😀')).toBe(true);
  });
});
