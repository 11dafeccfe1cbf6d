// Opening a large file parses only the xref and what is asked for.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { IncrementalWriter } from '../../shared/pdf/writer.ts';
import { buildLargePdf, run, tmpFile } from './helpers.ts';

const HAVE_QPDF = run('sh', ['-c', 'command -v qpdf']).rc === 0;

describe('a 20 MB, 3000-page file', () => {
  let table: Uint8Array;
  let stream: Uint8Array | undefined;
  beforeAll(() => {
    table = buildLargePdf(3000, 6900, 10);
    if (HAVE_QPDF) {
      // the same file with object streams and an xref stream
      const p = tmpFile('large-table.pdf', table);
      const q = p.replace('table', 'objstm');
      run('qpdf', ['--object-streams=generate', '--compress-streams=n', '--preserve-unreferenced', p, q]);
      stream = new Uint8Array(readFileSync(q));
    }
  });

  function timeOpen(bytes: Uint8Array): number {
    // best of three: the first run includes JIT warm-up
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = PdfReader.open(bytes);
      expect(r.pageCount).toBe(3000);
      const last = r.getPage(2999);
      expect(last.rotate).toBe(270);
      expect(last.mediaBox).toEqual([0, 0, 595, 842]);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }

  test('classic xref table', () => {
    expect(table.length).toBeGreaterThan(20_000_000);
    const ms = timeOpen(table);
    console.log(`open + last page, 3000 pages, ${(table.length / 1e6).toFixed(1)} MB, classic xref: ${ms.toFixed(1)} ms`);
  });

  test.skipIf(!HAVE_QPDF)('object streams and xref stream', () => {
    const ms = timeOpen(stream!);
    console.log(`open + last page, 3000 pages, ${(stream!.length / 1e6).toFixed(1)} MB, object streams: ${ms.toFixed(1)} ms`);
  });

  test('the original bytes are not copied by the reader; the writer copies them once', () => {
    const r = PdfReader.open(table);
    expect(r.bytes).toBe(table);
    const w = new IncrementalWriter(r);
    const cat = r.catalog.clone();
    cat.set('X', 1);
    w.put(r.catalogRef, cat);
    const t0 = performance.now();
    const out = w.save().bytes;
    expect(out.length - table.length).toBeLessThan(1000);
  });
});
