// The demo portal's documents, made in memory at start: the Q-Office draft with its markers, the iOffice drafts
// with blank gaps, a scanned-looking birth certificate for the one-stop portal, and two files for the generic page.

import { zlibSync } from 'fflate';
import { makeVnDocument } from '../../samples/vn-document.ts';

export interface DemoFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface IofficeDraft {
  fileId: string;
  /** How the list shows the attachment (no ".pdf": iOffice's links name the document, not the file). */
  label: string;
  fileName: string;
  trichYeu: string;
  soKyHieu: string;
  doKhan: 'Bình thường' | 'Khẩn' | 'Thượng khẩn';
  ngayNhan: string;
  /** Which page of the list (the list pages through the JSON API). */
  page: 1 | 2;
}

export const IOFFICE_DRAFTS: IofficeDraft[] = [
  { fileId: '101', label: 'Du thao thong bao ket luan', fileName: 'Du thao thong bao ket luan.pdf', trichYeu: 'Dự thảo Thông báo kết luận của Chủ tịch UBND huyện', soKyHieu: '', doKhan: 'Bình thường', ngayNhan: '10/11/2026 13:18', page: 1 },
  { fileId: '102', label: 'VV don doc ap dung chu ky so', fileName: 'VV don doc ap dung chu ky so.pdf', trichYeu: 'V/v đôn đốc các cơ quan, đơn vị tăng cường áp dụng chữ ký số trong việc trao đổi văn bản điện tử', soKyHieu: '', doKhan: 'Khẩn', ngayNhan: '05/11/2026 15:07', page: 1 },
  { fileId: '103', label: 'Ke hoach trong cay 2026', fileName: 'Ke hoach trong cay 2026.pdf', trichYeu: 'Kế hoạch tham gia hưởng ứng "Tết trồng cây đời đời nhớ ơn Bác Hồ" năm 2026', soKyHieu: '', doKhan: 'Bình thường', ngayNhan: '01/11/2026 08:30', page: 2 },
];

const PDF = 'application/pdf';

/** A minimal .docx stand-in: a ZIP signature and nothing a PDF reader would accept. */
function notAPdf(): Uint8Array {
  return new TextEncoder().encode('PK\x03\x04 (tệp Word minh họa, không phải PDF)');
}

/** Keys: "<portal>:<docId>" for the documents that take uploads, "khac:<name>" for the generic page. */
export function makeDemoFiles(): Map<string, DemoFile> {
  const files = new Map<string, DemoFile>();
  files.set('qoffice:1', { fileName: 'du-thao-quyet-dinh.pdf', contentType: PDF, bytes: makeVnDocument({ markers: true }) });
  files.set('qoffice:1:docx', {
    fileName: 'kysocopy.docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: notAPdf(),
  });
  for (const d of IOFFICE_DRAFTS) {
    files.set(`ioffice:${d.fileId}`, { fileName: d.fileName, contentType: PDF, bytes: makeVnDocument({ markers: false, title: d.trichYeu.length < 60 ? d.trichYeu : 'Về việc tăng cường áp dụng chữ ký số' }) });
  }
  files.set('tthc:1', { fileName: 'giay-khai-sinh.pdf', contentType: PDF, bytes: makeScannedCertificate() });
  files.set('khac:bao-cao.pdf', { fileName: 'bao-cao.pdf', contentType: PDF, bytes: makeVnDocument({ markers: false, title: 'Báo cáo tình hình ứng dụng chữ ký số' }) });
  files.set('khac:phu-luc.pdf', { fileName: 'phu-luc.pdf', contentType: PDF, bytes: makeVnDocument({ markers: false, title: 'Phụ lục', twoPages: true }) });
  files.set('khac:them.pdf', { fileName: 'them.pdf', contentType: PDF, bytes: makeVnDocument({ markers: false, title: 'Tài liệu bổ sung' }) });
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// "Giấy khai sinh (bản chính)" as a scanner makes it: one A4 page holding one greyish RGB image, no text layer.

/** A small deterministic PRNG so every start makes the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function scanImage(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  const rand = rng(2026);
  // Paper: slightly yellow, noisy, darker towards the edges like a flatbed scan.
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const edge = Math.min(x, y, w - 1 - x, h - 1 - y);
      const shade = (edge < 12 ? 40 - edge * 3 : 0) + rand() * 10;
      const i = (y * w + x) * 3;
      px[i] = 246 - shade;
      px[i + 1] = 242 - shade;
      px[i + 2] = 228 - shade;
    }
  const ink = (x0: number, y0: number, x1: number, y1: number, rgb: [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(h, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) {
        if (rand() < 0.25) continue; // broken strokes of printed text at scan resolution
        px.set(rgb, (y * w + x) * 3);
      }
  };
  const dark: [number, number, number] = [40, 40, 50];
  // Heading, then form lines with "handwritten" entries, like the printed birth certificate.
  ink(w * 0.3, 60, w * 0.7, 72, dark);
  ink(w * 0.35, 80, w * 0.65, 88, dark);
  ink(w * 0.38, 120, w * 0.62, 136, dark);
  for (let k = 0; k < 14; k++) {
    const y = 175 + k * 34;
    ink(60, y, 60 + 80 + ((k * 37) % 90), y + 8, dark);
    ink(230, y - 2, 230 + 120 + ((k * 53) % 200), y + 9, [30, 50, 140]);
  }
  // The civil registrar's red seal and signature at the bottom right.
  const cx = w * 0.7;
  const cy = h * 0.83;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if ((d > 55 && d < 62) || (d > 40 && d < 43) || d < 8) px.set([200, 40, 50], (y * w + x) * 3);
    }
  ink(cx - 40, cy + 75, cx + 60, cy + 80, [30, 50, 140]);
  return px;
}

export function makeScannedCertificate(): Uint8Array {
  const w = 620;
  const h = 877;
  const image = zlibSync(scanImage(w, h), { level: 6 });
  const enc = new TextEncoder();
  const content = enc.encode('q 595.28 0 0 841.89 0 0 cm /Scan Do Q\n');
  const objects: Uint8Array[] = [
    enc.encode('<< /Type /Catalog /Pages 2 0 R >>'),
    enc.encode('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    enc.encode('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /Scan 5 0 R >> >> /Contents 4 0 R >>'),
    concat([enc.encode(`<< /Length ${content.length} >>\nstream\n`), content, enc.encode('\nendstream')]),
    concat([
      enc.encode(`<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>\nstream\n`),
      image,
      enc.encode('\nendstream'),
    ]),
    enc.encode('<< /Producer (Scanner) /Title (Giay khai sinh - ban chinh) >>'),
  ];
  const chunks: Uint8Array[] = [enc.encode('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let size = chunks[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(size);
    const c = concat([enc.encode(`${i + 1} 0 obj\n`), body, enc.encode('\nendobj\n')]);
    chunks.push(c);
    size += c.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)];
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${size}\n%%EOF\n`);
  chunks.push(enc.encode(xref.join('')));
  return concat(chunks);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
