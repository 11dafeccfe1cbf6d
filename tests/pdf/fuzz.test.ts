// Deterministic mutation fuzzing: damaged variants of corpus files must give a reader or a KysoError, quickly.
import { describe, expect, test } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { IncrementalWriter } from '../../shared/pdf/writer.ts';
import { PdfRef, PdfStream } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { readCorpus } from './helpers.ts';

const FILES = ['pyhanko-minimal.pdf', 'pyhanko-minimal-xref.pdf', 'qpdf-hybrid-xref.pdf', 'pypdf-pdflatex-4-pages.pdf', 'pdflib-with_update_sections.pdf', 'qpdf-minimal-linearized.pdf', 'qpdf-enc-R2-RC4-40-empty-user-pw.pdf'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const TOKENS = ['obj', 'endobj', 'R', '<<', '>>', '[', ']', '(', ')', 'stream', 'endstream', 'xref', 'trailer', 'startxref', '/Prev 0', '/Length 999999', '/Count 999999999', '/Kids [1 0 R]', '9999999999', '-1', '%%EOF', '\\'];

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = src.slice();
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) {
    for (let i = 0; i < 1 + rnd() * 20; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  if (kind === 1) return b.subarray(0, Math.floor(rnd() * b.length));
  if (kind === 2) {
    // splice a token in
    const t = new TextEncoder().encode(' ' + TOKENS[Math.floor(rnd() * TOKENS.length)] + ' ');
    const at = Math.floor(rnd() * b.length);
    const out = new Uint8Array(b.length + t.length);
    out.set(b.subarray(0, at));
    out.set(t, at);
    out.set(b.subarray(at), at + t.length);
    return out;
  }
  if (kind === 3) {
    // change digits (offsets, lengths, counts)
    for (let i = 0; i < 30; i++) {
      const at = Math.floor(rnd() * b.length);
      if (b[at] >= 0x30 && b[at] <= 0x39) b[at] = 0x30 + Math.floor(rnd() * 10);
    }
    return b;
  }
  // delete a chunk
  const at = Math.floor(rnd() * b.length);
  const len = Math.min(b.length - at, Math.floor(rnd() * 200));
  const out = new Uint8Array(Math.max(0, b.length - len));
  out.set(b.subarray(0, at));
  out.set(b.subarray(Math.min(b.length, at + len)), at);
  return out;
}

describe('mutated corpus files', () => {
  for (const f of FILES) {
    test(f, () => {
      const src = readCorpus('plain', f);
      const rnd = rng(f.length * 7919 + 17);
      for (let i = 0; i < 150; i++) {
        const bytes = mutate(src, rnd);
        const t0 = performance.now();
        try {
          const r = PdfReader.open(bytes, { allowEncrypted: true });
          try {
            const n = r.pageCount;
            if (n > 0) r.getPage(n - 1);
            r.revisions();
            for (const e of r.liveEntries()) {
              const o = r.getObject(new PdfRef(e.num, e.gen));
              if (o instanceof PdfStream) {
                try {
                  r.decodeStream(o);
                } catch (err) {
                  if (!(err instanceof KysoError)) throw err;
                }
              }
            }
            if (!r.encryption) {
              const w = new IncrementalWriter(r);
              w.put(w.alloc(), 1);
              const out = w.save().bytes;
              expect(PdfReader.open(out).size).toBeGreaterThan(0);
            }
          } catch (err) {
            if (!(err instanceof KysoError)) throw err;
          }
        } catch (err) {
          if (!(err instanceof KysoError)) {
            throw new Error(`mutation ${i} of ${f}: ${err instanceof Error ? err.stack : String(err)}`);
          }
        }
      }
    });
  }
});
