// SHA-256 of the signed byte ranges with node:crypto: streamed over views of the file, no 20 MB copies.

import { createHash } from 'node:crypto';
import type { RangeDigest } from '@kyso/shared/sign/sign-pdf';

export const nodeRangeDigest: RangeDigest = async (parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
