/**
 * A small, strict reader of one CoT document into the shape fast-xml-parser gives with Howl's options
 * (attributes without prefix, text in `#text`, a repeated child as an array, an element with neither
 * attributes nor children as its text), in one pass and about ten times faster than validating and parsing
 * with fast-xml-parser, which matters at tens of thousands of events a second. Text and attribute values stay
 * as written (entities undecoded: the caller decodes the predefined ones only). Malformed input (a tag not
 * closed or closed out of order, an attribute without quotes or given twice, `<` in a value, text or a second
 * element outside the root, nesting deeper than `maxDepth`) and any `<!DOCTYPE` give undefined.
 */
export type XmlNode = Record<string, unknown>;

interface Open {
  name: string;
  node: XmlNode;
  text: string;
  structured: boolean;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /[ \t\r\n]*/y;

function at(re: RegExp, s: string, i: number): string | undefined {
  re.lastIndex = i;
  const m = re.exec(s);
  return m?.[0] || undefined;
}

function skipSpace(s: string, i: number): number {
  SPACE.lastIndex = i;
  SPACE.exec(s);
  return SPACE.lastIndex;
}

function add(parent: XmlNode, name: string, value: unknown): void {
  const had = parent[name];
  if (had === undefined) parent[name] = value;
  else if (Array.isArray(had)) had.push(value);
  else parent[name] = [had, value];
}

/** The element's value as fast-xml-parser gives it (trimmed text, or the node with `#text`). */
function close(e: Open): unknown {
  const text = e.text.trim();
  if (!e.structured) return text;
  if (text !== '') e.node['#text'] = text;
  return e.node;
}

export function readXmlTree(xml: string, maxDepth = 32): XmlNode | undefined {
  const doc: XmlNode = Object.create(null);
  const stack: Open[] = [];
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const end = lt === -1 ? xml.length : lt;
    if (end > i) {
      const top = stack[stack.length - 1];
      if (top) top.text += xml.slice(i, end);
      else if (xml.slice(i, end).trim() !== '') return undefined;
    }
    if (lt === -1) break;
    const next = xml[lt + 1];
    if (next === '?') {
      const stop = xml.indexOf('?>', lt + 2);
      if (stop === -1) return undefined;
      i = stop + 2;
      continue;
    }
    if (next === '!') {
      if (xml.startsWith('<!--', lt)) {
        const stop = xml.indexOf('-->', lt + 4);
        if (stop === -1) return undefined;
        i = stop + 3;
        continue;
      }
      const top = stack[stack.length - 1];
      if (top && xml.startsWith('<![CDATA[', lt)) {
        const stop = xml.indexOf(']]>', lt + 9);
        if (stop === -1) return undefined;
        top.text += xml.slice(lt + 9, stop);
        i = stop + 3;
        continue;
      }
      return undefined; // DOCTYPE, ENTITY, or a CDATA section outside the root
    }
    if (next === '/') {
      const name = at(NAME, xml, lt + 2);
      const top = stack.pop();
      if (!name || !top || top.name !== name) return undefined;
      const gt = skipSpace(xml, lt + 2 + name.length);
      if (xml[gt] !== '>') return undefined;
      add(stack[stack.length - 1]?.node ?? doc, name, close(top));
      i = gt + 1;
      continue;
    }
    const name = at(NAME, xml, lt + 1);
    if (!name) return undefined;
    if (stack.length === 0 && roots++ > 0) return undefined;
    if (stack.length >= maxDepth) return undefined;
    // Without a prototype: an element named `__proto__` or `constructor` is just an element.
    const e: Open = { name, node: Object.create(null), text: '', structured: false };
    let j = lt + 1 + name.length;
    for (;;) {
      const k = skipSpace(xml, j);
      const c = xml[k];
      if (c === '>' || (c === '/' && xml[k + 1] === '>')) {
        const parent = stack[stack.length - 1];
        if (parent) parent.structured = true;
        if (c === '>') {
          stack.push(e);
          i = k + 1;
        } else {
          add(parent?.node ?? doc, name, close(e));
          i = k + 2;
        }
        break;
      }
      if (k === j) return undefined; // attributes are separated by white space
      const attr = at(NAME, xml, k);
      if (!attr || Object.hasOwn(e.node, attr)) return undefined;
      const eq = skipSpace(xml, k + attr.length);
      if (xml[eq] !== '=') return undefined;
      const open = skipSpace(xml, eq + 1);
      const quote = xml[open];
      if (quote !== '"' && quote !== "'") return undefined;
      const shut = xml.indexOf(quote, open + 1);
      if (shut === -1) return undefined;
      const value = xml.slice(open + 1, shut);
      if (value.includes('<')) return undefined;
      e.node[attr] = value;
      e.structured = true;
      j = shut + 1;
    }
  }
  return stack.length === 0 && roots === 1 ? doc : undefined;
}
