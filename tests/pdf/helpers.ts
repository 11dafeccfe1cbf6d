// Shared helpers for the PDF layer tests: corpus access and external validators (qpdf, poppler, mutool).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** ../shared/corpus beside the repository, as on every developer machine and in CI. */
export const CORPUS = process.env.KYSO_CORPUS ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

export function corpusFiles(dir: 'plain' | 'malformed' | 'signed'): string[] {
  return readdirSync(join(CORPUS, dir))
    .filter((f) => f.endsWith('.pdf'))
    .sort();
}

export function readCorpus(dir: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, dir, file)));
}

/** The PARSE-RESULTS.md table: file -> columns by header name. */
export function parseResults(): Map<string, Record<string, string>> {
  const text = readFileSync(join(CORPUS, 'PARSE-RESULTS.md'), 'utf8');
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0].split('|').map((s) => s.trim());
  const out = new Map<string, Record<string, string>>();
  for (const l of lines.slice(2)) {
    const cells = l.split('|').map((s) => s.trim());
    const rec: Record<string, string> = {};
    header.forEach((h, i) => {
      if (h) rec[h] = cells[i];
    });
    out.set(rec.file, rec);
  }
  return out;
}

let tmp: string | undefined;
export function tmpFile(name: string, bytes: Uint8Array): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'kyso-pdf-'));
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

export interface ToolResult {
  rc: number;
  out: string;
}

export function run(cmd: string, args: string[]): ToolResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { rc: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** qpdf --check exit codes ranked by severity: 0 clean < 3 warnings < 2 errors. */
export function qpdfSeverity(rc: number): number {
  return rc === 0 ? 0 : rc === 3 ? 1 : 2;
}

export function pdfinfoPages(path: string): number | undefined {
  const r = run('pdfinfo', [path]);
  if (r.rc !== 0) return undefined;
  const m = /^Pages:\s+(\d+)/m.exec(r.out);
  return m ? parseInt(m[1], 10) : undefined;
}

export function mutoolPages(path: string): number | undefined {
  const r = run('mutool', ['info', path]);
  if (r.rc !== 0) return undefined;
  const m = /^Pages:\s+(\d+)/m.exec(r.out);
  return m ? parseInt(m[1], 10) : undefined;
}

export { execFileSync };

/**
 * Builds a small classic-xref PDF from object bodies (objects[i] is object i+1). `junk` goes before the header;
 * `absoluteOffsets` makes the xref count from the start of the file instead of from the header.
 */
export function buildPdf(objects: string[], opts: { junk?: string; absoluteOffsets?: boolean; trailer?: string; version?: string } = {}): Uint8Array {
  const junk = opts.junk ?? '';
  let s = `%PDF-${opts.version ?? '1.7'}\n%\xe2\xe3\xcf\xd3\n`;
  const offsets: number[] = [];
  const shift = opts.absoluteOffsets ? junk.length : 0;
  objects.forEach((body, i) => {
    offsets.push(s.length + shift);
    s += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = s.length + shift;
  s += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) s += `${String(o).padStart(10, '0')} 00000 n \n`;
  s += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${opts.trailer ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Uint8Array.from(junk + s, (c) => c.charCodeAt(0) & 0xff);
}

/**
 * A large test file: `pages` pages in a balanced page tree (`fanout` kids per node), each with a content stream
 * of `bytesPerPage` pseudo-random bytes (so nothing compresses). Classic xref table.
 */
export function buildLargePdf(pages: number, bytesPerPage: number, fanout = 10): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    size += b.length;
  };
  const offsets: number[] = [];
  const obj = (num: number, body: string, stream?: Uint8Array) => {
    offsets[num] = size;
    push(enc.encode(`${num} 0 obj\n${body}\n`));
    if (stream) {
      push(enc.encode('stream\n'));
      push(stream);
      push(enc.encode('\nendstream\n'));
    }
    push(enc.encode('endobj\n'));
  };
  push(enc.encode('%PDF-1.7\n%\u00e2\u00e3\n'));
  // numbering: 1 catalog, 2 root node, pages and contents after the tree nodes
  let next = 3;
  type Node = { num: number; kids: (Node | number)[]; count: number; parent: number };
  const leaves: number[] = [];
  for (let i = 0; i < pages; i++) leaves.push(-1);
  // build levels bottom-up
  let level: { num: number; count: number; children: number[]; isLeaf: boolean }[] = leaves.map(() => ({ num: next++, count: 1, children: [], isLeaf: true }));
  const pageNums = level.map((l) => l.num);
  const nodes: { num: number; count: number; children: number[] }[] = [];
  while (level.length > fanout) {
    const up: typeof level = [];
    for (let i = 0; i < level.length; i += fanout) {
      const group = level.slice(i, i + fanout);
      up.push({ num: next++, count: group.reduce((a, g) => a + g.count, 0), children: group.map((g) => g.num), isLeaf: false });
    }
    for (const u of up) nodes.push(u);
    level = up;
  }
  const parentOf = new Map<number, number>();
  for (const n of nodes) for (const c of n.children) parentOf.set(c, n.num);
  for (const l of level) parentOf.set(l.num, 2);
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed >>> 16;
  };
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, `<< /Type /Pages /Kids [${level.map((l) => `${l.num} 0 R`).join(' ')}] /Count ${pages} /MediaBox [0 0 595 842] >>`);
  for (const n of nodes) obj(n.num, `<< /Type /Pages /Parent ${parentOf.get(n.num)} 0 R /Kids [${n.children.map((c) => `${c} 0 R`).join(' ')}] /Count ${n.count} >>`);
  pageNums.forEach((pn, i) => {
    const content = next++;
    obj(pn, `<< /Type /Page /Parent ${parentOf.get(pn)} 0 R /Contents ${content} 0 R /Rotate ${(i % 4) * 90} >>`);
    const data = new Uint8Array(bytesPerPage);
    for (let k = 0; k < data.length; k++) data[k] = rnd() & 0xff;
    obj(content, `<< /Length ${data.length} >>`, data);
  });
  const xref = size;
  let x = `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let i = 1; i < next; i++) x += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  x += `trailer\n<< /Size ${next} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  push(enc.encode(x));
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * A file with an object stream and an (unfiltered) xref stream. `objstm` holds objects 1..n given as bodies;
 * `entries` may override the xref rows ([type, field2, field3] by object number) to make damaged files.
 */
export function buildObjStmPdf(inStream: string[], opts: { entries?: Record<number, [number, number, number]>; extraDirect?: string[] } = {}): Uint8Array {
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  let s = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const n = inStream.length;
  // object stream is object n+1, direct extras n+2.., xref stream last
  let header = '';
  let body = '';
  inStream.forEach((b, i) => {
    header += `${i + 1} ${body.length} `;
    body += b + '\n';
  });
  const data = header + '\n' + body;
  const offsets: number[] = [];
  const stmNum = n + 1;
  offsets[stmNum] = s.length;
  s += `${stmNum} 0 obj\n<< /Type /ObjStm /N ${n} /First ${header.length + 1} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
  const extras = opts.extraDirect ?? [];
  extras.forEach((b, i) => {
    offsets[stmNum + 1 + i] = s.length;
    s += `${stmNum + 1 + i} 0 obj\n${b}\nendobj\n`;
  });
  const xnum = stmNum + 1 + extras.length;
  offsets[xnum] = s.length;
  const rows: [number, number, number][] = [[0, 0, 65535]];
  for (let i = 1; i <= n; i++) rows.push([2, stmNum, i - 1]);
  for (let i = stmNum; i <= xnum; i++) rows.push([1, offsets[i], 0]);
  for (const [k, v] of Object.entries(opts.entries ?? {})) rows[Number(k)] = v;
  let bin = '';
  for (const [t, a, b] of rows) bin += String.fromCharCode(t, (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255, (b >> 8) & 255, b & 255);
  s += `${xnum} 0 obj\n<< /Type /XRef /Size ${xnum + 1} /W [1 4 2] /Root 1 0 R /Length ${bin.length} >>\nstream\n${bin}\nendstream\nendobj\nstartxref\n${offsets[xnum]}\n%%EOF\n`;
  return enc(s);
}
