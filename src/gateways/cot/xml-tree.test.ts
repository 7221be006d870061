import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import * as captures from '../../../test/fixtures/cot/captures.ts';
import * as geochat from '../../../test/fixtures/cot/geochat.ts';
import { readXmlTree } from './xml-tree.ts';

// The reference: fast-xml-parser with the options Howl's CoT reader used before it had its own.
const reference = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  textNodeName: '#text',
});

/** Plain objects with sorted keys: the two put attributes and children in different orders. */
const canon = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canon)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
        )
      : v;

function documents(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && v.includes('<event')) out.push(v);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) documents(x, out);
  return out;
}

describe('readXmlTree', () => {
  const docs = documents([captures, geochat]);

  it('reads every captured TAK event as fast-xml-parser does', () => {
    expect(docs.length).toBeGreaterThan(5);
    for (const xml of docs) expect(canon(readXmlTree(xml))).toEqual(canon(reference.parse(xml)));
  });

  it('reads text, CDATA, comments, repeated children and entities left as written', () => {
    const xml = `<?xml version="1.0"?><!-- a comment --><event uid='a&amp;b'><detail><link uid="x"/><link uid="y"/><remarks to="All">  fell &lt;here&gt; <![CDATA[<ok>]]>  </remarks><empty/></detail></event>`;
    // (fast-xml-parser trims the text and the CDATA apart and joins them without the space between.)
    expect(readXmlTree(xml)).toMatchObject({
      event: {
        uid: 'a&amp;b',
        detail: {
          link: [{ uid: 'x' }, { uid: 'y' }],
          remarks: { to: 'All', '#text': 'fell &lt;here&gt; <ok>' },
        },
      },
    });
  });

  it('refuses what is not well-formed, as the validator does', () => {
    for (const bad of [
      '<event uid="a">',
      '<event uid="a"></detail>',
      '<event><a></event></a>',
      '<event uid=a/>',
      '<event uid="a" uid="b"/>',
      '<event uid="a"type="b"/>',
      'text<event/>',
      '<event uid="a/>',
      '<1event/>',
      '<event><!-- unterminated </event>',
      '',
    ]) {
      expect(readXmlTree(bad), bad).toBeUndefined();
      expect(XMLValidator.validate(bad), bad).not.toBe(true);
    }
  });

  it('refuses a < in an attribute value a second root or text after it, which XML forbids (fast-xml-parser lets them by)', () => {
    expect(readXmlTree('<event uid="a<b"/>')).toBeUndefined();
    expect(readXmlTree('<event/><event/>')).toBeUndefined();
    expect(readXmlTree('<event/>trailing')).toBeUndefined();
  });

  it('refuses a DOCTYPE and nesting deeper than the limit', () => {
    expect(readXmlTree('<!DOCTYPE event [<!ENTITY x "y">]><event>&x;</event>')).toBeUndefined();
    expect(readXmlTree(`${'<a>'.repeat(33)}${'</a>'.repeat(33)}`)).toBeUndefined();
    expect(readXmlTree(`${'<a>'.repeat(32)}${'</a>'.repeat(32)}`)).toBeDefined();
  });

  it('treats __proto__ and constructor as element and attribute names, nothing more', () => {
    const tree = readXmlTree('<event><__proto__ a="1"/><__proto__ a="2"/><constructor x="y"/></event>');
    const event = tree?.event as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toEqual([{ a: '1' }, { a: '2' }]);
    expect(Object.getPrototypeOf(event)).toBeNull();
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});
