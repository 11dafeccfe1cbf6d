// A hand-built one-page PDF drawing Vietnamese text with the subset Type 0 fonts and a PNG with alpha, checked with
// poppler (pdffonts, pdftotext, pdftoppm), mupdf (mutool), qpdf and pdf.js.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzlibSync, zlibSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrueTypeFont } from '../../shared/pdf/font/truetype.ts';
import { embedType0Font, encodeTextHex } from '../../shared/pdf/font/type0.ts';
import { decodePng } from '../../shared/pdf/image/png.ts';
import { embedPngImage } from '../../shared/pdf/image/embed.ts';
import { PdfDict, PdfName, PdfRef, PdfStream } from '../../shared/pdf/objects.ts';
import { encodePng, fontBytes, hasTool, MemorySink, readPpm, run } from './helpers.ts';

const TOOLS = ['pdffonts', 'pdftotext', 'pdftoppm', 'mutool', 'qpdf'];
const missing = TOOLS.filter((t) => !hasTool(t));
// On CI the tools must be there (Debian packages poppler-utils, mupdf-tools, qpdf); elsewhere the checks are skipped.
const skip = missing.length > 0 && process.env.CI !== 'true';
if (missing.length) console.warn(`font-image PDF checks: missing ${missing.join(', ')} (apt-get install -y poppler-utils mupdf-tools qpdf)`);

const MOTTO = 'Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc';
const HEADING = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const PAGE_W = 420;
const PAGE_H = 200;
/** Image placement in points; the PNG is IMG_W × IMG_H pixels, left half opaque red, right half transparent. */
const IMG = { x: 300, y: 20, w: 100, h: 50 };
const RED = [200, 30, 40];

const regular = TrueTypeFont.parse(fontBytes('Regular'));
const bold = TrueTypeFont.parse(fontBytes('Bold'));

function signaturePng(): Uint8Array {
  const w = 100;
  const h = 50;
  const samples: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (x < 50) samples.push(...RED, 255);
      else samples.push(0, 255, 0, 0); // green that must never show: fully transparent
    }
  return encodePng({ width: w, height: h, colorType: 6, bitDepth: 8, samples, interlace: true });
}

function buildPdf(whole = false): { pdf: Uint8Array; sink: MemorySink; fontRefs: PdfRef[] } {
  const sink = new MemorySink();
  const catalog = sink.alloc();
  const pages = sink.alloc();
  const page = sink.alloc();
  const content = sink.alloc();
  const f1 = embedType0Font(sink, regular, whole ? regular.bytes : undefined, [MOTTO]);
  const f2 = embedType0Font(sink, bold, whole ? bold.bytes : undefined, [HEADING]);
  const image = embedPngImage(sink, decodePng(signaturePng()));

  const headingX = (PAGE_W - bold.widthOf(HEADING, 12)) / 2;
  const mottoX = (PAGE_W - regular.widthOf(MOTTO, 12)) / 2;
  const ops = [
    'BT',
    `/F2 12 Tf 1 0 0 1 ${headingX.toFixed(3)} 160 Tm <${encodeTextHex(bold, HEADING)}> Tj`,
    `/F1 12 Tf 1 0 0 1 ${mottoX.toFixed(3)} 140 Tm <${encodeTextHex(regular, MOTTO)}> Tj`,
    'ET',
    `q ${IMG.w} 0 0 ${IMG.h} ${IMG.x} ${IMG.y} cm /Im1 Do Q`,
    '',
  ].join('\n');
  const data = zlibSync(new TextEncoder().encode(ops));
  sink.put(content, new PdfStream(new PdfDict({ Filter: PdfName.of('FlateDecode'), Length: data.length }), data));
  sink.put(
    page,
    new PdfDict({
      Type: PdfName.of('Page'),
      Parent: pages,
      MediaBox: [0, 0, PAGE_W, PAGE_H],
      Resources: new PdfDict({ Font: new PdfDict({ F1: f1, F2: f2 }), XObject: new PdfDict({ Im1: image.ref }) }),
      Contents: content,
    }),
  );
  sink.put(pages, new PdfDict({ Type: PdfName.of('Pages'), Kids: [page], Count: 1 }));
  sink.put(catalog, new PdfDict({ Type: PdfName.of('Catalog'), Pages: pages }));
  return { pdf: sink.toPdf(catalog), sink, fontRefs: [f1, f2] };
}

function expectedLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function pixel(img: { width: number; rgb: Uint8Array }, xPt: number, yPt: number, dpi = 72): number[] {
  // PDF y goes up from the bottom; raster rows go down from the top.
  const s = dpi / 72;
  const x = Math.floor(xPt * s);
  const y = Math.floor((PAGE_H - yPt) * s);
  const o = (y * img.width + x) * 3;
  return Array.from(img.rgb.subarray(o, o + 3));
}

/** mupdf's stderr less the notice Debian's build prints for any page with images (it has no colour management). */
function mupdfMessages(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l && l !== 'warning: ICC support is not available')
    .join('\n');
}

function close(a: number[], b: number[], tol = 3): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

describe.skipIf(skip)('hand-built PDF with the subset fonts and a PNG', () => {
  let dir = '';
  let file = '';
  let fullFile = '';
  let built: ReturnType<typeof buildPdf>;

  beforeAll(() => {
    if (missing.length) throw new Error(`missing tools on CI: ${missing.join(', ')} (apt-get install -y poppler-utils mupdf-tools qpdf)`);
    dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-'));
    built = buildPdf();
    file = join(dir, 'subset.pdf');
    writeFileSync(file, built.pdf);
    fullFile = join(dir, 'full.pdf');
    writeFileSync(fullFile, buildPdf(true).pdf);
  });

  it('qpdf --check is clean', () => {
    for (const f of [file, fullFile]) {
      const r = run('qpdf', ['--check', f]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('No syntax or stream encoding errors found');
      expect(r.stderr).toBe('');
    }
  });

  it('pdffonts lists both fonts as embedded CID TrueType subsets with ToUnicode', () => {
    const r = run('pdffonts', [file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBe(2);
    const names = rows.map((row) => {
      const m = /^([A-Z]{6}\+(LiberationSerif(?:-Bold)?))\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no)\s/.exec(row);
      expect(m, row).not.toBeNull();
      expect([m![3], m![4], m![5]], row).toEqual(['yes', 'yes', 'yes']); // emb, sub, uni
      return m![2];
    });
    expect(names.sort()).toEqual(['LiberationSerif', 'LiberationSerif-Bold']);
  });

  it('pdftotext gives back exactly the Vietnamese text', () => {
    const r = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(expectedLines(r.stdout)).toEqual([HEADING, MOTTO]);
  });

  it('mutool draws without warnings and extracts the same text', () => {
    const png = join(dir, 'mu.png');
    const r = run('mutool', ['draw', '-q', '-r', '72', '-o', png, file]);
    expect(r.status, r.stderr).toBe(0);
    expect(mupdfMessages(r.stderr)).toBe('');
    const t = run('mutool', ['draw', '-q', '-F', 'txt', '-o', join(dir, 'mu.txt'), file]);
    expect(mupdfMessages(t.stderr)).toBe('');
    expect(expectedLines(readFileSync(join(dir, 'mu.txt'), 'utf8'))).toEqual([HEADING, MOTTO]);
  });

  it('pdftoppm renders without warnings: text drawn, image opaque where opaque and white where transparent', () => {
    const r = run('pdftoppm', ['-r', '72', '-singlefile', file, join(dir, 'pp')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const img = readPpm(readFileSync(join(dir, 'pp.ppm')));
    expect([img.width, img.height]).toEqual([PAGE_W, PAGE_H]);
    expect(close(pixel(img, IMG.x + 25, IMG.y + 25), RED)).toBe(true);
    expect(close(pixel(img, IMG.x + 75, IMG.y + 25), [255, 255, 255], 0)).toBe(true);
    expect(close(pixel(img, 10, 100), [255, 255, 255], 0)).toBe(true);
    // Ink along the motto's baseline band.
    let dark = 0;
    for (let x = 30; x < PAGE_W - 30; x++) for (let y = 140; y < 148; y++) if (pixel(img, x, y)[0] < 128) dark++;
    expect(dark).toBeGreaterThan(200);
  });

  it('the subset draws exactly like the whole font (poppler and mupdf)', () => {
    run('pdftoppm', ['-r', '150', '-singlefile', file, join(dir, 'a')]);
    run('pdftoppm', ['-r', '150', '-singlefile', fullFile, join(dir, 'b')]);
    expect(readFileSync(join(dir, 'a.ppm')).equals(readFileSync(join(dir, 'b.ppm')))).toBe(true);
    run('mutool', ['draw', '-q', '-r', '150', '-o', join(dir, 'a.pnm'), file]);
    run('mutool', ['draw', '-q', '-r', '150', '-o', join(dir, 'b.pnm'), fullFile]);
    expect(readFileSync(join(dir, 'a.pnm')).equals(readFileSync(join(dir, 'b.pnm')))).toBe(true);
  });

  it('the embedded subsets are much smaller than the fonts', () => {
    for (const [i, font] of [regular, bold].entries()) {
      const type0 = built.sink.get(built.fontRefs[i]) as PdfDict;
      const cid = built.sink.get((type0.get('DescendantFonts') as PdfRef[])[0]) as PdfDict;
      const desc = built.sink.get(cid.get('FontDescriptor') as PdfRef) as PdfDict;
      const stream = built.sink.get(desc.get('FontFile2') as PdfRef) as PdfStream;
      const length1 = desc && (stream.dict.get('Length1') as number);
      expect(unzlibSync(stream.raw).length).toBe(length1);
      console.log(`${font.postScriptName}: subset ${length1} B, ${stream.raw.length} B compressed; font ${font.bytes.length} B`);
      expect(length1).toBeLessThan(font.bytes.length / 8);
      expect(stream.raw.length).toBeLessThan(20_000);
    }
    expect(built.pdf.length).toBeLessThan(40_000);
  });
});

describe('pdf.js reads the same PDF', () => {
  it('extracts the text and renders the image with its mask', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const warnings: string[] = [];
    const origLog = console.log;
    const origWarn = console.warn;
    console.log = (...a: unknown[]) => void warnings.push(a.join(' '));
    console.warn = console.log;
    try {
      const doc = await pdfjs.getDocument({ data: buildPdf().pdf, verbosity: 1, useSystemFonts: false, isEvalSupported: false }).promise;
      const page = await doc.getPage(1);
      const content = await page.getTextContent();
      const text = content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join('');
      expect(expectedLines(text)).toEqual([HEADING, MOTTO]);

      let canvasModule: typeof import('@napi-rs/canvas') | undefined;
      try {
        canvasModule = await import('@napi-rs/canvas');
      } catch {
        canvasModule = undefined;
      }
      if (!canvasModule) console.warn('pdf.js render check skipped: @napi-rs/canvas is not installed');
      else {
        const viewport = page.getViewport({ scale: 1 });
        const canvas = canvasModule.createCanvas(viewport.width, viewport.height);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, viewport.width, viewport.height);
        await page.render({ canvas: canvas as never, canvasContext: ctx as never, viewport }).promise;
        const rgba = ctx.getImageData(0, 0, viewport.width, viewport.height).data;
        const at = (x: number, y: number) => {
          const o = ((PAGE_H - y) * PAGE_W + x) * 4;
          return [rgba[o], rgba[o + 1], rgba[o + 2]];
        };
        expect(close(at(IMG.x + 25, IMG.y + 25), RED)).toBe(true);
        expect(close(at(IMG.x + 75, IMG.y + 25), [255, 255, 255])).toBe(true);
        let dark = 0;
        for (let x = 30; x < PAGE_W - 30; x++) for (let y = 140; y < 148; y++) if (at(x, y)[0] < 128) dark++;
        expect(dark).toBeGreaterThan(200);
      }
      await doc.destroy();
    } finally {
      console.log = origLog;
      console.warn = origWarn;
    }
    expect(warnings.filter((w) => /warn|error/i.test(w))).toEqual([]);
  });
});
