// Small XML helpers for the templates: escaping, and a strict well-formedness check (no DTD processing) used when
// xmllint is not installed, and always by the tests beside xmllint.

export function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const NAME = /^[A-Za-z_:][\w.:-]*/;

/** Throws with the offset of the first problem; returns the root element's name. */
export function checkWellFormed(xml: string): string {
  let i = 0;
  const stack: string[] = [];
  let root: string | undefined;
  let rootClosed = false;
  const fail = (msg: string): never => {
    const line = xml.slice(0, i).split('\n').length;
    throw new Error(`XML not well-formed at line ${line}: ${msg}`);
  };
  const checkText = (t: string) => {
    const bad = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(t);
    if (bad) fail(`bare & in "${t.slice(bad.index, bad.index + 20)}"`);
    if (t.includes('<')) fail('< in text');
  };
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.trim()) {
      if (!stack.length) fail(`text outside the root element: "${text.trim().slice(0, 20)}"`);
      checkText(text);
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      if (xml.slice(i + 4, end).includes('--')) fail('-- inside a comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end < 0 || !stack.length) fail('bad CDATA');
      i = end + 3;
    } else if (xml.startsWith('<!DOCTYPE', i)) {
      if (root) fail('DOCTYPE after the root element');
      const end = xml.indexOf('>', i);
      if (end < 0) fail('unterminated DOCTYPE');
      i = end + 1;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) fail('bad end tag');
      const name = m![0];
      const close = xml.slice(i + 2 + name.length).match(/^\s*>/);
      if (!close) fail(`bad end tag </${name}`);
      const open = stack.pop();
      if (open !== name) fail(`</${name}> closes <${open ?? 'nothing'}>`);
      if (!stack.length) rootClosed = true;
      i += 2 + name.length + close![0].length;
    } else {
      const m = NAME.exec(xml.slice(i + 1));
      if (!m) fail('bad start tag');
      const name = m![0];
      if (rootClosed || (!stack.length && root)) fail(`second root element <${name}>`);
      root ??= name;
      let j = i + 1 + name.length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(j))![0];
        j += ws.length;
        if (xml.startsWith('/>', j)) {
          j += 2;
          if (!stack.length) rootClosed = true;
          break;
        }
        if (xml[j] === '>') {
          j += 1;
          stack.push(name);
          break;
        }
        if (!ws) fail(`no space before an attribute in <${name}>`);
        const a = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(j));
        if (!a) fail(`bad attribute in <${name}>`);
        if (seen.has(a![1])) fail(`attribute ${a![1]} twice in <${name}>`);
        seen.add(a![1]);
        checkText(a![3] ?? a![4] ?? '');
        j += a![0].length;
      }
      i = j;
    }
  }
  if (stack.length) fail(`<${stack.at(-1)}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}
