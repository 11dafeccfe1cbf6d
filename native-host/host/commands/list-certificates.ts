// listCertificates: the certificates on one token, a page at a time. A page ends at `limit` certificates or
// before the reply would outgrow the browser's 1 MB, whichever comes first, so no token can make a reply too large.

import { createHash } from 'node:crypto';
import { KysoError } from '@kyso/shared/protocol/errors';
import { DEFAULT_CERTIFICATE_PAGE, MAX_CERTIFICATE_PAGE, MAX_REPLY_BYTES, type CertificateInfo, type ListCertificatesResult } from '@kyso/shared/protocol/messages';
import { Pkcs11Service, type TokenCertificate } from '../../token/pkcs11-service.ts';
import { tokenQueueKey, type CommandSpec } from '../command.ts';
import { integer, modulePath, object, tokenLabel } from '../validate.ts';

/** Room left in a reply for the envelope (id, ok, total, brackets). */
const ENVELOPE_BYTES = 1024;
export const PAGE_BUDGET_BYTES = MAX_REPLY_BYTES - ENVELOPE_BYTES;

/** The largest offset accepted; no token holds anywhere near this many objects. */
const MAX_OFFSET = 1_000_000;

function info(c: TokenCertificate): CertificateInfo {
  const out: CertificateInfo = {
    id: c.id,
    label: c.label,
    certificate: Buffer.from(c.der).toString('base64'),
    hasPrivateKey: c.hasPrivateKey,
    keyType: c.keyType,
  };
  if (c.keyBits !== undefined) out.keyBits = c.keyBits;
  return out;
}

/** A stable order, whatever order the token returns its objects in, so pages fit together. */
function order(certs: TokenCertificate[]): TokenCertificate[] {
  const keyed = certs.map((c) => ({ c, h: createHash('sha256').update(c.der).digest('hex') }));
  keyed.sort((a, b) => (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : a.c.label < b.c.label ? -1 : a.c.label > b.c.label ? 1 : a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return keyed.map((k) => k.c);
}

/** One page from `offset`: at most `limit` certificates, at most `budget` bytes of JSON. */
export function page(all: readonly CertificateInfo[], offset: number, limit: number, budget = PAGE_BUDGET_BYTES): ListCertificatesResult {
  const certificates: CertificateInfo[] = [];
  let used = 0;
  for (let i = offset; i < all.length && certificates.length < limit; i++) {
    const size = Buffer.byteLength(JSON.stringify(all[i]), 'utf8') + 1;
    if (used + size > budget) {
      if (certificates.length > 0) break;
      throw new KysoError('REPLY_TOO_LARGE', `Certificate ${i} alone exceeds the reply limit; skip it with offset ${i + 1}.`, { index: i, bytes: size });
    }
    used += size;
    certificates.push(all[i]);
  }
  return { certificates, total: all.length };
}

export const listCertificates: CommandSpec<'listCertificates'> = {
  command: 'listCertificates',
  timeout: 'default',
  parse(params) {
    const o = object(params, 'params', ['module', 'token'], ['offset', 'limit']);
    return {
      module: modulePath(o.module, 'params.module'),
      token: tokenLabel(o.token, 'params.token'),
      offset: o.offset === undefined ? 0 : integer(o.offset, 'params.offset', 0, MAX_OFFSET),
      limit: o.limit === undefined ? DEFAULT_CERTIFICATE_PAGE : integer(o.limit, 'params.limit', 1, MAX_CERTIFICATE_PAGE),
    };
  },
  queueKey: (p) => tokenQueueKey(p.module, p.token),
  async run(p) {
    const certs = await Pkcs11Service.use(p.module, (s) => s.listCertificates(p.token));
    return page(order(certs).map(info), p.offset ?? 0, p.limit ?? DEFAULT_CERTIFICATE_PAGE);
  },
};
