// Sample Vietnamese administrative documents laid out as Nghị định 30/2020 asks (a "Quyết định" of a provincial
// People's Committee), for the demo portal and the tests. Variants: with the Q-Office markers or with blank gaps,
// on rotated pages, on pages whose boxes do not start at 0,0, and over two pages.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from '../../shared/pdf/objects.ts';
import { serializeObject } from '../../shared/pdf/serialize.ts';
import { TrueTypeFont } from '../../shared/pdf/font/truetype.ts';
import { embedType0Font, encodeTextHex } from '../../shared/pdf/font/type0.ts';

export interface SampleOptions {
  /** Q-Office markers (#SoKyHieuVanBan, #DiaDiemNgayBanHanh, #ChuKyLanhDao) or blank gaps ("Số:    /QĐ-UBND"). */
  markers: boolean;
  rotate?: 0 | 90 | 180 | 270;
  /** Lower left corner of the MediaBox; the CropBox sits 10 pt inside it. */
  origin?: [number, number];
  /** Put the signer block on a second page. */
  twoPages?: boolean;
  title?: string;
}

const n = PdfName.of;
const A4: [number, number] = [595.28, 841.89];

type Style = 'regular' | 'bold' | 'italic';
const fontFile = (f: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../shared/assets/fonts/${f}`, import.meta.url))));
let fonts: Record<Style, TrueTypeFont> | undefined;
function loadFonts(): Record<Style, TrueTypeFont> {
  fonts ??= {
    regular: TrueTypeFont.parse(fontFile('LiberationSerif-Regular.ttf')),
    bold: TrueTypeFont.parse(fontFile('LiberationSerif-Bold.ttf')),
    italic: TrueTypeFont.parse(fontFile('LiberationSerif-Italic.ttf')),
  };
  return fonts;
}

interface Line {
  text: string;
  size: number;
  style: Style;
  /** x of the left end, or of the centre when centred. */
  x: number;
  /** Baseline from the top of the page as displayed. */
  top: number;
  center?: boolean;
}

function pageOneLines(o: SampleOptions): Line[][] {
  const L = 30 * 2.8346;
  const leftC = L + 95;
  const rightC = 400;
  const p1: Line[] = [
    { text: 'ỦY BAN NHÂN DÂN', size: 13, style: 'regular', x: leftC, top: 70, center: true },
    { text: 'TỈNH QUẢNG NAM', size: 13, style: 'bold', x: leftC, top: 86, center: true },
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', size: 12, style: 'bold', x: rightC, top: 70, center: true },
    { text: 'Độc lập - Tự do - Hạnh phúc', size: 13, style: 'bold', x: rightC, top: 86, center: true },
  ];
  if (o.markers) {
    p1.push({ text: 'Số: #SoKyHieuVanBan', size: 13, style: 'regular', x: L + 40, top: 118 });
    p1.push({ text: '#DiaDiemNgayBanHanh', size: 13, style: 'italic', x: rightC - 105, top: 118 });
  } else {
    p1.push({ text: 'Số:', size: 13, style: 'regular', x: L + 40, top: 118 });
    p1.push({ text: '/QĐ-UBND', size: 13, style: 'regular', x: L + 100, top: 118 });
    p1.push({ text: 'Quảng Nam, ngày', size: 13, style: 'italic', x: rightC - 120, top: 118 });
    p1.push({ text: 'tháng', size: 13, style: 'italic', x: rightC - 7, top: 118 });
    p1.push({ text: 'năm 2026', size: 13, style: 'italic', x: rightC + 52, top: 118 });
  }
  p1.push({ text: 'QUYẾT ĐỊNH', size: 14, style: 'bold', x: A4[0] / 2 + 20, top: 165, center: true });
  p1.push({ text: o.title ?? 'Về việc ban hành Quy chế ký số văn bản điện tử', size: 14, style: 'bold', x: A4[0] / 2 + 20, top: 183, center: true });
  p1.push({ text: 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM', size: 14, style: 'bold', x: A4[0] / 2 + 20, top: 215, center: true });
  const body = [
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ',
    'về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
    'QUYẾT ĐỊNH:',
    'Điều 1. Ban hành kèm theo Quyết định này Quy chế ký số văn bản điện tử.',
    'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    'Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ban, ngành',
    'và Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm thi hành Quyết định này./.',
  ];
  body.forEach((t, i) => p1.push({ text: t, size: 13, style: t === 'QUYẾT ĐỊNH:' ? 'bold' : 'regular', x: L + 28, top: 250 + i * 22 }));
  const block = ([
    { text: 'Nơi nhận:', size: 12, style: 'bold', x: L, top: 0 },
    { text: '- Như Điều 3;', size: 11, style: 'regular', x: L, top: 16 },
    { text: '- Lưu: VT, VP.', size: 11, style: 'regular', x: L, top: 30 },
    { text: 'TM. ỦY BAN NHÂN DÂN', size: 13, style: 'bold', x: rightC + 20, top: 0, center: true },
    { text: 'CHỦ TỊCH', size: 13, style: 'bold', x: rightC + 20, top: 17, center: true },
    { text: o.markers ? '#ChuKyLanhDao' : '', size: 13, style: 'regular', x: rightC + 20, top: 17 + 4 * 17, center: true },
    { text: 'Nguyễn Văn Thành', size: 13, style: 'bold', x: rightC + 20, top: 17 + 8 * 17, center: true },
  ] as Line[]).filter((l) => l.text);
  if (o.twoPages) {
    return [p1, block.map((l) => ({ ...l, top: l.top + 90 }))];
  }
  return [[...p1, ...block.map((l) => ({ ...l, top: l.top + 470 }))]];
}

export function makeVnDocument(o: SampleOptions): Uint8Array {
  const f = loadFonts();
  const objects = new Map<number, PdfObject>();
  let next = 1;
  const sink = {
    alloc: () => new PdfRef(next++, 0),
    put: (r: PdfRef, obj: PdfObject) => void objects.set(r.num, obj),
  };
  const pages = pageOneLines(o);
  const texts: Record<Style, string[]> = { regular: [], bold: [], italic: [] };
  for (const p of pages) for (const l of p) texts[l.style].push(l.text);
  const catalog = sink.alloc();
  const pagesRef = sink.alloc();
  const fontRefs = {
    regular: embedType0Font(sink, f.regular, undefined, texts.regular),
    bold: embedType0Font(sink, f.bold, undefined, texts.bold),
    italic: embedType0Font(sink, f.italic, undefined, texts.italic),
  };
  const rotate = o.rotate ?? 0;
  const [ox, oy] = o.origin ?? [0, 0];
  const turned = rotate === 90 || rotate === 270;
  const [uw, uh] = turned ? [A4[1], A4[0]] : A4; // user-space size of the page
  const media = [ox, oy, ox + uw, oy + uh];
  const inset = o.origin ? 10 : 0;
  const crop = [ox + inset, oy + inset, ox + uw - inset, oy + uh - inset];
  // Content is drawn in display orientation (portrait A4, origin bottom left as displayed) and turned into user space.
  const [cx0, cy0, cx1, cy1] = crop;
  const W = cx1 - cx0;
  const H = cy1 - cy0;
  const cm: Record<number, number[]> = {
    0: [1, 0, 0, 1, cx0, cy0],
    90: [0, 1, -1, 0, cx0 + W, cy0],
    180: [-1, 0, 0, -1, cx0 + W, cy0 + H],
    270: [0, -1, 1, 0, cx0, cy0 + H],
  };
  const displayH = turned ? W : H;
  const kids: PdfRef[] = [];
  const res = { KR: fontRefs.regular, KB: fontRefs.bold, KI: fontRefs.italic } as const;
  const resName: Record<Style, keyof typeof res> = { regular: 'KR', bold: 'KB', italic: 'KI' };
  for (const lines of pages) {
    const ops: string[] = [`q ${cm[rotate].join(' ')} cm`];
    for (const l of lines) {
      const w = f[l.style].widthOf(l.text, l.size);
      const x = l.center ? l.x - w / 2 : l.x;
      ops.push(`BT /${resName[l.style]} ${l.size} Tf ${x.toFixed(2)} ${(displayH - l.top).toFixed(2)} Td <${encodeTextHex(f[l.style], l.text)}> Tj ET`);
    }
    ops.push('Q');
    const content = sink.alloc();
    sink.put(content, new PdfStream(new PdfDict({ Filter: n('FlateDecode') }), zlibSync(new TextEncoder().encode(ops.join('\n')))));
    const page = sink.alloc();
    const pd = new PdfDict({ Type: n('Page'), Parent: pagesRef, MediaBox: media, Contents: content, Resources: new PdfDict({ Font: new PdfDict(res) }) });
    if (inset) pd.set('CropBox', crop);
    if (rotate) pd.set('Rotate', rotate);
    sink.put(page, pd);
    kids.push(page);
  }
  sink.put(pagesRef, new PdfDict({ Type: n('Pages'), Kids: kids, Count: kids.length }));
  sink.put(catalog, new PdfDict({ Type: n('Catalog'), Pages: pagesRef }));

  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [enc.encode('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let size = chunks[0].length;
  const offsets: number[] = [];
  for (let i = 1; i < next; i++) {
    offsets[i] = size;
    const body = serializeObject(objects.get(i) ?? null);
    const parts = [enc.encode(`${i} 0 obj\n`), body, enc.encode('\nendobj\n')];
    for (const p of parts) {
      chunks.push(p);
      size += p.length;
    }
  }
  const xref = [`xref\n0 ${next}\n0000000000 65535 f \n`];
  for (let i = 1; i < next; i++) xref.push(`${String(offsets[i]).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${next} /Root ${catalog.num} 0 R >>\nstartxref\n${size}\n%%EOF\n`);
  chunks.push(enc.encode(xref.join('')));
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o2 = 0;
  for (const c of chunks) {
    out.set(c, o2);
    o2 += c.length;
  }
  return out;
}

/** Where the sample prints each marker, in display space (points from the top left of the page as shown). */
export function markerBoxes(o: SampleOptions): Record<string, { pageIndex: number; x: number; y: number; w: number; h: number }> {
  const f = loadFonts();
  const out: Record<string, { pageIndex: number; x: number; y: number; w: number; h: number }> = {};
  pageOneLines(o).forEach((lines, pageIndex) => {
    for (const l of lines) {
      const m = /#[A-Za-z]+/.exec(l.text);
      if (!m) continue;
      const full = f[l.style].widthOf(l.text, l.size);
      const left = (l.center ? l.x - full / 2 : l.x) + f[l.style].widthOf(l.text.slice(0, m.index), l.size);
      out[m[0]] = { pageIndex, x: left, y: l.top - 0.9 * l.size, w: f[l.style].widthOf(m[0], l.size), h: 1.15 * l.size };
    }
  });
  return out;
}
