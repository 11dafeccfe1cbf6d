// Shared helpers for the PDF layer tests: corpus access and external validators (qpdf, poppler, mutool).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CORPUS = process.env.KYSO_CORPUS ?? '/work/shared/corpus';

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
