// Files the host ships with: the fonts appearances are drawn with. In the single executable they are SEA assets;
// from a checkout or the bundle they are read from shared/assets.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FontFiles } from '@kyso/shared/sign/sign-pdf';
import { KysoError } from '@kyso/shared/protocol/errors';

const FONTS = { regular: 'LiberationSerif-Regular.ttf', bold: 'LiberationSerif-Bold.ttf', italic: 'LiberationSerif-Italic.ttf' } as const;

function seaAsset(name: string): Uint8Array | undefined {
  try {
    const require = createRequire(import.meta.url);
    const sea = require('node:sea') as { isSea(): boolean; getAsset(k: string): ArrayBuffer };
    return sea.isSea() ? new Uint8Array(sea.getAsset(name)) : undefined;
  } catch {
    return undefined;
  }
}

function assetDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'shared', 'assets', 'fonts');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new KysoError('INTERNAL_ERROR', 'Font assets not found next to the program.');
}

let cached: FontFiles | undefined;
export function loadFonts(): FontFiles {
  if (cached) return cached;
  const read = (file: string) => seaAsset(file) ?? new Uint8Array(readFileSync(join(assetDir(), file)));
  cached = { regular: read(FONTS.regular), bold: read(FONTS.bold), italic: read(FONTS.italic) };
  return cached;
}
