// Every corpus file through PdfReader: plain files open with pdf.js's page count, malformed ones open or fail
// with a KysoError, quickly.
import { describe, expect, test } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { PdfDict, PdfName, PdfRef, PdfStream } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { corpusFiles, parseResults, readCorpus } from './helpers.ts';

const results = parseResults();

/** Encrypted plain files and what opening them without allowEncrypted must say. */
const ENCRYPTED: Record<string, 'PDF_ENCRYPTED' | 'PDF_PASSWORD_REQUIRED'> = {
  'qpdf-enc-R2-RC4-40-empty-user-pw.pdf': 'PDF_ENCRYPTED',
  'qpdf-enc-R6-AES256-empty-user-pw.pdf': 'PDF_ENCRYPTED',
  'qpdf-enc-R3-user-pw-view.pdf': 'PDF_PASSWORD_REQUIRED',
  'qpdf-leading-junk.pdf': 'PDF_ENCRYPTED', // RC4 R3, empty user password
  'dss-edition_protected_none.pdf': 'PDF_ENCRYPTED', // AES-128 R4
  'dss-edition_protected_signing_allowed_with_field.pdf': 'PDF_ENCRYPTED',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KysoError) return e.code;
    throw e;
  }
  return undefined;
}

/** Touches everything a caller might: pages, revisions, every live object, every stream decoded. */
function exercise(r: PdfReader): void {
  const n = r.pageCount;
  for (let i = 0; i < Math.min(n, 50); i++) r.getPage(i);
  if (n > 0) r.getPage(n - 1);
  r.revisions();
  for (const e of r.liveEntries()) {
    const o = r.getObject(new PdfRef(e.num, e.gen));
    if (o instanceof PdfStream && !r.encryption) {
      try {
        r.decodeStream(o);
      } catch (err) {
        if (!(err instanceof KysoError)) throw err;
      }
    }
  }
}

describe('plain corpus', () => {
  for (const f of corpusFiles('plain')) {
    test(f, () => {
      const bytes = readCorpus('plain', f);
      const expected = results.get(`plain/${f}`)!.pdfjs;
      if (ENCRYPTED[f]) {
        expect(codeOf(() => PdfReader.open(bytes))).toBe(ENCRYPTED[f]);
        const r = PdfReader.open(bytes, { allowEncrypted: true });
        expect(r.encryption).toBeDefined();
        if (/^\d+$/.test(expected)) expect(r.pageCount).toBe(parseInt(expected, 10));
        exercise(r);
        return;
      }
      const t0 = performance.now();
      const r = PdfReader.open(bytes);
      const n = r.pageCount;
      const last = r.getPage(n - 1);
      const ms = performance.now() - t0;
      expect(n).toBe(parseInt(expected, 10));
      expect(last.index).toBe(n - 1);
      expect(last.dict).toBeInstanceOf(PdfDict);
      expect(r.catalog).toBeInstanceOf(PdfDict);
      expect(r.bytes).toBe(bytes);
      expect(r.revisions().length).toBeGreaterThan(0);
      expect(r.revisions().at(-1)!.eofOffset).toBeLessThanOrEqual(bytes.length);
      expect(codeOf(() => r.getPage(n))).toBe('PDF_PAGE_OUT_OF_RANGE');
      expect(codeOf(() => r.getPage(-1))).toBe('PDF_PAGE_OUT_OF_RANGE');
      exercise(r);
    });
  }
});

describe('what the reader reports about particular files', () => {
  const open = (f: string) => PdfReader.open(readCorpus('plain', f));

  test('MediaBox with a positive origin and /Rotate 90', () => {
    const p = open('dss-doc-positive-coordinates-rotate-90.pdf').getPage(0);
    expect(p.mediaBox).toEqual([100, 300, 712, 1092]);
    expect(p.cropBox).toEqual([100, 300, 712, 1092]);
    expect(p.rotate).toBe(90);
  });
  test('MediaBox and CropBox with a negative origin', () => {
    const p = open('dss-doc-negative-coordinates.pdf').getPage(0);
    expect(p.mediaBox).toEqual([-100, -300, 512, 492]);
    expect(p.cropBox).toEqual([-100, -300, 512, 492]);
    expect(p.rotate).toBe(0);
  });
  test('qpdf-inherited-rotate.pdf: the /Rotate 90 of the page wins over the 270 of its node', () => {
    const r = open('qpdf-inherited-rotate.pdf');
    const p = r.getPage(0);
    expect(r.resolveDict(r.catalog.get('Pages'))!.get('Rotate')).toBe(270);
    expect(p.rotate).toBe(90);
  });
  test('qpdf boxes.pdf: CropBox offset, rotations, other boxes', () => {
    const r = open('qpdf-boxes.pdf');
    const seen = [];
    for (let i = 0; i < r.pageCount; i++) {
      const p = r.getPage(i);
      expect(p.cropBox[0]).toBeGreaterThanOrEqual(p.mediaBox[0]);
      expect(p.cropBox[2]).toBeLessThanOrEqual(p.mediaBox[2]);
      seen.push([p.mediaBox, p.cropBox, p.rotate]);
    }
    // Cross-check with the raw dictionaries: the first page carries MediaBox and CropBox itself.
    const p0 = r.getPage(0);
    const raw = (k: string) => (r.resolveArray(p0.dict.get(k)) ?? []).map((x) => r.resolveNumber(x));
    expect(p0.mediaBox).toEqual(raw('MediaBox'));
    expect(p0.cropBox).toEqual(raw('CropBox'));
    expect(new Set(seen.map((s) => s[2]))).toEqual(new Set([0, 90, 180, 270]));
  });
  test('pdfinfo agrees on every page box and rotation of qpdf-boxes.pdf', async () => {
    const { run } = await import('./helpers.ts');
    const { CORPUS } = await import('./helpers.ts');
    const info = run('pdfinfo', ['-f', '1', '-l', '8', '-box', `${CORPUS}/plain/qpdf-boxes.pdf`]).out;
    const r = open('qpdf-boxes.pdf');
    for (let i = 0; i < 8; i++) {
      const p = r.getPage(i);
      const mb = new RegExp(`Page\\s+${i + 1} MediaBox:\\s+([-\\d. ]+)`).exec(info)![1].trim().split(/\s+/).map(Number);
      const cb = new RegExp(`Page\\s+${i + 1} CropBox:\\s+([-\\d. ]+)`).exec(info)![1].trim().split(/\s+/).map(Number);
      const rot = Number(new RegExp(`Page\\s+${i + 1} rot:\\s+(\\d+)`).exec(info)![1]);
      expect(p.mediaBox).toEqual(mb);
      expect(p.cropBox).toEqual(cb);
      expect(p.rotate).toBe(rot);
    }
  });
  test('version: catalog /Version overrides an older header', () => {
    expect(open('pdf20ex-pdf-2.0-via-incremental-save.pdf').version).toBe('2.0');
    expect(open('pdfjs-sci-notation.pdf').version).toBe('1.0');
    expect(open('pdf20ex-simple-pdf-2.0.pdf').version).toBe('2.0');
  });
  test('xref kinds', () => {
    expect(open('pyhanko-minimal.pdf').xrefKind).toBe('table');
    expect(open('pyhanko-minimal-xref.pdf').xrefKind).toBe('stream');
    expect(open('pyhanko-minimal-hybrid-xref.pdf').xrefKind).toBe('table');
    expect(open('qpdf-hybrid-xref.pdf').xrefKind).toBe('table');
    expect(open('pypdf-pdflatex-4-pages.pdf').xrefKind).toBe('stream');
  });
  test('intact files are not flagged as recovered; broken ones are', () => {
    for (const f of ['pyhanko-minimal.pdf', 'qpdf-hybrid-xref.pdf', 'pdflib-with_update_sections.pdf', 'gen-many-pages-10000.pdf', 'pyhanko-minimal-startxref-obo1.pdf']) {
      expect(open(f).recovered, f).toBe(false);
    }
    for (const f of ['qpdf-bad-xref-entry.pdf', 'pdfjs-xref_command_missing.pdf', 'pdfjs-PDFBOX-4352-0.pdf']) {
      expect(open(f).recovered, f).toBe(true);
    }
  });
  test('startxref off by one: the section is found where it really starts', () => {
    const r = open('pyhanko-minimal-startxref-obo1.pdf');
    const s = String.fromCharCode(...r.bytes.subarray(r.startxref, r.startxref + 4));
    expect(s).toBe('xref');
  });
  test('leading junk: offsets count from the %PDF header', () => {
    const r = open('pdf20ex-pdf-2.0-with-offset-start.pdf');
    expect(r.headerOffset).toBe(656);
    expect(r.offsetBase).toBe(656);
    expect(r.recovered).toBe(false);
    expect(r.pageCount).toBe(1);
  });
  test('/Size smaller than the objects in the xref', () => {
    const r = open('pyhanko-minimal-broken-xref-size.pdf');
    expect(r.trailer.get('Size')).toBe(6);
    expect(r.size).toBe(7);
  });
  test('revisions of an incrementally updated file, oldest first', () => {
    const r = open('pdflib-with_update_sections.pdf');
    const revs = r.revisions();
    expect(revs.length).toBe(4);
    for (let i = 1; i < revs.length; i++) expect(revs[i].eofOffset).toBeGreaterThan(revs[i - 1].eofOffset);
    expect(revs.at(-1)!.eofOffset).toBe(r.bytes.length);
    expect(revs.at(-1)!.startxref).toBe(r.startxref);
  });
  test('a linearized file is one revision', () => {
    expect(open('qpdf-minimal-linearized.pdf').revisions().length).toBe(1);
    expect(open('pdfjs-empty.pdf').revisions().length).toBe(1);
  });
  test('10000 pages: the last page without walking every page', () => {
    const bytes = readCorpus('plain', 'gen-many-pages-10000.pdf');
    const r = PdfReader.open(bytes);
    expect(r.pageCount).toBe(10000);
    const p = r.getPage(9999);
    expect(p.index).toBe(9999);
    // only a handful of objects were parsed (the cache is private; count through a fresh reader's behaviour)
    const cache = (r as unknown as { cache: Map<number, unknown> }).cache;
    expect(cache.size).toBeLessThan(50);
    const p5 = r.getPage(5000);
    expect(p5.ref).not.toEqual(p.ref);
  });
  test('encrypted: allowEncrypted opens the structure, decrypting object streams when the empty password works', () => {
    const r = PdfReader.open(readCorpus('plain', 'qpdf-enc-R6-AES256-empty-user-pw.pdf'), { allowEncrypted: true });
    expect(r.encryption!.r).toBe(6);
    expect(r.encryption!.emptyUserPassword).toBe(true);
    expect(r.pageCount).toBe(30);
    const r3 = PdfReader.open(readCorpus('plain', 'qpdf-enc-R3-user-pw-view.pdf'), { allowEncrypted: true });
    expect(r3.encryption!.emptyUserPassword).toBe(false);
    expect(r3.pageCount).toBe(30);
    const aes128 = PdfReader.open(readCorpus('plain', 'dss-edition_protected_none.pdf'), { allowEncrypted: true });
    expect(aes128.encryption!.r).toBe(4);
    expect(aes128.catalog.get('Type')).toBe(PdfName.of('Catalog'));
  });
  test('a public-key encrypted file needs a password', () => {
    expect(codeOf(() => PdfReader.open(readCorpus('signed', 'pyhanko-signed-encrypted-pubkey-with-catalog-ref.pdf')))).toBe('PDF_PASSWORD_REQUIRED');
  });
});

describe('malformed corpus', () => {
  for (const f of corpusFiles('malformed')) {
    test(f, () => {
      const bytes = readCorpus('malformed', f);
      const t0 = performance.now();
      let r: PdfReader | undefined;
      try {
        r = PdfReader.open(bytes, { allowEncrypted: true });
        try {
          exercise(r);
        } catch (e) {
          expect(e).toBeInstanceOf(KysoError);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(KysoError);
      }
    });
  }
  test('expected outcomes', () => {
    const code = (f: string) => codeOf(() => PdfReader.open(readCorpus('malformed', f)));
    expect(code('gen-zero-length.pdf')).toBe('PDF_EMPTY');
    expect(code('qpdf-bad1.pdf')).toBe('PDF_INVALID');
    // recoverable by scanning
    expect(PdfReader.open(readCorpus('malformed', 'gen-truncated-boxes-half.pdf')).pageCount).toBe(8);
    expect(PdfReader.open(readCorpus('malformed', 'qpdf-append-xref-loop.pdf')).pageCount).toBe(30);
    expect(PdfReader.open(readCorpus('malformed', 'pyhanko-minimal-startxref-hopeless.pdf')).pageCount).toBe(1);
    // page tree loops and lying /Count values
    expect(codeOf(() => PdfReader.open(readCorpus('malformed', 'pyhanko-circular-page-tree.pdf')).pageCount)).toBe('PDF_INVALID');
    expect(PdfReader.open(readCorpus('malformed', 'pdfjs-poppler-67295-0.pdf')).pageCount).toBe(1);
    expect(PdfReader.open(readCorpus('malformed', 'qpdf-pages-loop.pdf')).pageCount).toBe(1);
  });
});

describe('signed corpus', () => {
  for (const f of corpusFiles('signed')) {
    test(f, () => {
      const bytes = readCorpus('signed', f);
      const r = PdfReader.open(bytes, { allowEncrypted: true });
      const expected = results.get(`signed/${f}`)?.pdfjs;
      if (expected && /^\d+$/.test(expected)) expect(r.pageCount).toBe(parseInt(expected, 10));
      exercise(r);
    });
  }
});
