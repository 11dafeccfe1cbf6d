// The signing side of the benchmark, run as its own process (bundled by run.ts with esbuild into out/bench/child.mjs,
// like the shipped `kyso` bundle) so that its wall time and peak RSS can be measured from outside like pdfsig's.
//
//   node child.mjs sign IN OUT           read IN, signPdf (appendix mode, software signer), write OUT; once
//   node child.mjs profile IN OUT REPS   the same pipeline taken apart into timed phases, REPS times in one process
//                                        (first = cold), plus the real signPdf REPS times for comparison
//
// Prints one JSON line on stdout. Timings are performance.now() (ms since the process started).

import { readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { loadFonts } from '../../native-host/assets.ts';
import { signPdf, type FontFiles, type SignOptions } from '../../shared/sign/sign-pdf.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { IncrementalWriter } from '../../shared/pdf/writer.ts';
import { PdfDict, PdfName, PdfString, type PdfObject, type PdfRef } from '../../shared/pdf/objects.ts';
import { TrueTypeFont } from '../../shared/pdf/font/truetype.ts';
import { renderPlan } from '../../shared/appearance/render.ts';
import { planAppearance } from '../../shared/modes/index.ts';
import { REASONS, type FontStyle } from '../../shared/modes/plan.ts';
import { pdfDateVietnam } from '../../shared/modes/vn-time.ts';
import { DEFAULT_MARKERS } from '../../shared/placement/markers.ts';
import { buildPadesCms, cmsSizeInfo, estimateCmsSize, type DigestSigner } from '../../shared/pades/index.ts';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { byteRangePlaceholder, contentsPlaceholder, fillByteRange, fillContents, signedBytes, BYTE_RANGE_TAG, CONTENTS_TAG } from '../../shared/sign/byte-range.ts';
import { ReaderDocView } from '../../shared/sign/document-view.ts';
import { addSignatureField, docMdpPermission, uniqueFieldName } from '../../shared/sign/fields.ts';
import { benchSigner } from './signer.ts';

const loadedAt = performance.now();

// GC pauses (main thread), from the 'gc' performance entries; read with takeRecords() after each signing.
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
gcObserver.observe({ entryTypes: ['gc'] });
function gcSince(start: number): number {
  for (const e of gcObserver.takeRecords()) gcMs += e.duration;
  return gcMs - start;
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

// Fixed inputs: the same text block on every run. signingTime is fixed so every output has the same length.
const SIGNING_TIME = new Date('2026-11-21T09:30:00+07:00');
export const OPTIONS: SignOptions = { mode: 'appendix', docNumber: '123/QĐ-UBND', signingTime: SIGNING_TIME, fieldName: 'KySoBench' };

function rssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

async function signOnce(inPath: string, outPath: string, signer: DigestSigner, fonts: FontFiles): Promise<{ readMs: number; signMs: number; writeMs: number }> {
  const t0 = performance.now();
  const input = new Uint8Array(readFileSync(inPath));
  const t1 = performance.now();
  const result = await signPdf(input, OPTIONS, signer, { fonts });
  const t2 = performance.now();
  writeFileSync(outPath, result.pdf);
  const t3 = performance.now();
  return { readMs: t1 - t0, signMs: t2 - t1, writeMs: t3 - t2 };
}

/** signPdf's steps (shared/sign/sign-pdf.ts), repeated here with a clock between them. Keep in step with signPdf. */
async function signInPhases(inPath: string, outPath: string, signer: DigestSigner, fontFiles: FontFiles): Promise<Record<string, number>> {
  const ph: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ph[name] = (ph[name] ?? 0) + (now - t);
    t = now;
  };
  const opts = OPTIONS;
  const input = new Uint8Array(readFileSync(inPath));
  lap('read file');

  const reader = PdfReader.open(input);
  if (reader.pageCount === 0) throw new Error('no pages');
  if (docMdpPermission(reader) === 1) throw new Error('DocMDP forbids signing');
  lap('open + parse (xref, catalog, page count, DocMDP)');

  const cert = parseCertificate(signer.certificate);
  lap('parse certificate');
  const fonts: Record<FontStyle, TrueTypeFont> = { regular: TrueTypeFont.parse(fontFiles.regular), bold: TrueTypeFont.parse(fontFiles.bold), italic: TrueTypeFont.parse(fontFiles.italic) };
  lap('parse 3 TrueType fonts');

  const regular = fonts.regular;
  const view = new ReaderDocView(reader, undefined, (ch) => {
    const g = regular.glyphId(ch.codePointAt(0) ?? 32);
    return g ? regular.pdfWidth(g) / 1000 : 0.5;
  });
  const plan = await planAppearance(view, {
    mode: opts.mode,
    placement: { kind: 'auto' },
    markers: DEFAULT_MARKERS,
    signerName: cert.subject.CN ?? cert.subjectString,
    organisation: cert.subject.O ?? cert.subject.CN ?? cert.subjectString,
    signingTime: opts.signingTime!,
    docNumber: opts.docNumber,
    measure: (text, size, style) => fonts[style].widthOf(text, size),
  });
  lap('plan appearance (mode, placement)');

  // Font subsetting happens inside renderPlan: a sink in front of the writer notes when the Type0 font dictionary (the
  // last object embedType0Font puts) arrives, which splits renderPlan into "fonts" and "appearance stream".
  const writer = new IncrementalWriter(reader);
  let fontDoneAt = 0;
  const sink = {
    alloc: () => writer.alloc(),
    put: (ref: PdfRef, obj: PdfObject) => {
      writer.put(ref, obj);
      if (obj instanceof PdfDict && obj.nameOf('Subtype') === 'Type0') fontDoneAt = performance.now();
    },
  };
  const renderStart = t;
  const rendered = renderPlan(sink, plan, (i) => view.frame(i), { fonts });
  lap('render appearance (total)');
  ph['  of which: font subset + Type0 font objects'] = fontDoneAt ? fontDoneAt - renderStart : NaN;

  const reserve = estimateCmsSize(cmsSizeInfo(signer), false);
  lap('size the /Contents reserve (cmsSizeInfo)');
  const sigRef = writer.alloc();
  const sigDict = new PdfDict({
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of('ETSI.CAdES.detached'),
    ByteRange: byteRangePlaceholder(),
    Contents: contentsPlaceholder(reserve),
    M: PdfString.latin1(pdfDateVietnam(opts.signingTime!)),
    Name: PdfString.text(cert.subject.CN ?? cert.subjectString),
    Reason: PdfString.text(REASONS[opts.mode]),
  });
  writer.put(sigRef, sigDict);
  const fieldName = opts.fieldName ?? uniqueFieldName(reader);
  addSignatureField(reader, writer, { fieldName, sigRef, widget: rendered.widget, stamps: rendered.stamps });
  lap('signature dict + field (AcroForm, page /Annots)');

  const saved = writer.save();
  lap('write update (writer.save: serialize + copy original)');
  const file = saved.bytes;
  const brAt = saved.placeholders.get(BYTE_RANGE_TAG)!;
  const ctAt = saved.placeholders.get(CONTENTS_TAG)!;
  const byteRange = fillByteRange(file, brAt, ctAt);
  const covered = signedBytes(file, byteRange);
  lap('hash: gather byte range (signedBytes copy)');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', covered));
  lap('hash: SHA-256 (WebCrypto)');
  const cms = await buildPadesCms({ contentDigest: digest, hash: 'SHA-256', signer });
  lap('CMS (attributes, RSA sign + verify, DER)');
  fillContents(file, ctAt, cms);
  lap('embed CMS (hex into /Contents)');
  writeFileSync(outPath, file);
  lap('write file');
  return ph;
}

async function main(): Promise<void> {
  const [cmd, inPath, outPath, repsArg] = process.argv.slice(2);
  if (!cmd || !inPath || !outPath) throw new Error('usage: child.mjs sign|profile IN OUT [REPS]');
  const t0 = performance.now();
  const signer = benchSigner();
  const fonts = loadFonts();
  const setupMs = performance.now() - t0;

  if (cmd === 'sign') {
    const g = gcSince(0);
    const r = await signOnce(inPath, outPath, signer, fonts);
    const doneAt = performance.now();
    process.stdout.write(JSON.stringify({ loadMs: loadedAt, setupMs, ...r, gcMs: gcSince(g), totalInProcessMs: doneAt - t0, sinceStartMs: doneAt, maxRssMB: rssMB() }) + '\n');
    return;
  }
  if (cmd === 'profile') {
    const reps = Math.max(2, Number(repsArg ?? 5));
    const phases: Record<string, number>[] = [];
    const totals: number[] = [];
    const real: number[] = [];
    for (let i = 0; i < reps; i++) {
      gc();
      const a = performance.now();
      const g = gcSince(0);
      const ph = await signInPhases(inPath, outPath, signer, fonts);
      totals.push(performance.now() - a);
      ph['  of which: GC pauses (spread over the steps)'] = gcSince(g);
      phases.push(ph);
    }
    for (let i = 0; i < reps; i++) {
      gc();
      const r = await signOnce(inPath, outPath.replace(/\.pdf$/, '.real.pdf'), signer, fonts);
      real.push(r.readMs + r.signMs + r.writeMs);
    }
    process.stdout.write(JSON.stringify({ loadMs: loadedAt, setupMs, phases, totals, real, maxRssMB: rssMB() }) + '\n');
    return;
  }
  throw new Error(`unknown command ${cmd}`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
