// listSigningCertificates: every certificate of every token, for the signing page's picker. All pages of each
// token's list are collected (the host pages its replies to stay under Chrome's 1 MB), CA certificates included:
// the page builds each signer's chain from them, as `kyso sign` does from the token's objects.

import { asKysoError } from '@kyso/shared/protocol/errors';
import { MAX_CERTIFICATE_PAGE } from '@kyso/shared/protocol/messages';
import type { SigningCertificates, TokenCertificate } from '../../shared/messages.ts';
import type { NativeHost } from '../services/native-host.ts';

/** More than any token holds; stops a host that keeps answering "more to come" with empty pages. */
const MAX_PAGES = 50;

export async function listSigningCertificates(host: NativeHost, modules: readonly string[]): Promise<SigningCertificates> {
  const listed = await host.request('listTokens', modules.length ? { modules: [...modules] } : {});
  const out: SigningCertificates = { tokens: listed.tokens, certificates: [], problems: [...listed.problems] };
  for (const t of listed.tokens) {
    try {
      const found: TokenCertificate[] = [];
      for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
        const r = await host.request('listCertificates', { module: t.module, token: t.serial, offset, limit: MAX_CERTIFICATE_PAGE });
        for (const c of r.certificates) found.push({ ...c, module: t.module, token: t.serial, tokenLabel: t.label });
        offset += r.certificates.length;
        if (r.certificates.length === 0 || offset >= r.total) break;
      }
      out.certificates.push(...found);
    } catch (e) {
      // One token that cannot be read (pulled out meanwhile, a locked one) does not hide the others.
      out.problems.push({ module: t.module, error: asKysoError(e).toPayload() });
    }
  }
  return out;
}
