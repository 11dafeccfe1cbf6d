// Writes the sample documents and demo images into a folder: npx tsx scripts/samples/make-samples.ts DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSealPng, makeSignaturePng } from './images.ts';
import { makeVnDocument } from './vn-document.ts';

const dir = process.argv[2] ?? 'out/samples';
mkdirSync(dir, { recursive: true });
const files: Record<string, Uint8Array> = {
  'quyet-dinh.pdf': makeVnDocument({ markers: true }),
  'quyet-dinh-khong-ky-hieu.pdf': makeVnDocument({ markers: false }),
  'quyet-dinh-2-trang.pdf': makeVnDocument({ markers: true, twoPages: true }),
  'quyet-dinh-xoay-90.pdf': makeVnDocument({ markers: true, rotate: 90, origin: [100, 200] }),
  'chu-ky.png': makeSignaturePng(),
  'con-dau.png': makeSealPng(),
};
for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
process.stdout.write(`${Object.keys(files).length} files in ${dir}\n`);
