// Who may sign an OCSP response: the issuer itself (the test responder), or a responder certificate the issuer
// signed with id-kp-OCSPSigning. Responses from a delegated responder without that usage, or from a key the
// issuer never certified, say nothing: the status stays unknown.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { verifyPdf } from '../../shared/verify/verify.ts';
import type { RevocationFetch } from '../../shared/verify/revocation.ts';
import { PKI, requireFixtures, softwareSigner } from '../helpers/pki.ts';
import { tmpDir } from '../helpers/validators.ts';

let dir: string;
let signed: Uint8Array;
let root: Uint8Array;

const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** A responder certificate: issued by the intermediate (or self-signed), with or without id-kp-OCSPSigning. */
function responder(name: string, opts: { eku: boolean; selfSigned?: boolean }): void {
  ssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', `/CN=${name} OCSP (TEST)`, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), opts.eku ? 'extendedKeyUsage=OCSPSigning\nkeyUsage=digitalSignature\n' : 'keyUsage=digitalSignature\n');
  if (opts.selfSigned) ssl(['x509', '-req', '-in', `${name}.csr`, '-signkey', `${name}.key`, '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
  else ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', join(PKI, 'sub.cert.pem'), '-CAkey', join(PKI, 'sub.key.pem'), '-set_serial', String(Date.now() % 1e9), '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

/** OCSP answered by `name` from the intermediate's index; every CRL download fails (so OCSP alone decides). */
function fetchVia(name: string): RevocationFetch {
  let n = 0;
  return async (_url, init) => {
    if (init.method !== 'POST' || !init.body) throw new Error('no CRL here');
    const i = ++n;
    writeFileSync(join(dir, `${name}-req${i}.der`), init.body);
    ssl(['ocsp', '-index', join(PKI, 'sub-ca', 'index.txt'), '-CA', join(PKI, 'sub.cert.pem'), '-rsigner', `${name}.pem`, '-rkey', `${name}.key`, '-reqin', `${name}-req${i}.der`, '-respout', `${name}-resp${i}.der`, '-nmin', '60']);
    return new Uint8Array(readFileSync(join(dir, `${name}-resp${i}.der`)));
  };
}

beforeAll(async () => {
  requireFixtures();
  dir = tmpDir('kyso-ocsp-responder-');
  root = new Uint8Array(readFileSync(join(PKI, 'root.cert.der')));
  signed = (await signPdf(makeVnDocument({ markers: true }), { mode: 'appendix', docNumber: '5/UBND' }, softwareSigner('leader'), { fonts: loadFonts() })).pdf;
  responder('delegated', { eku: true });
  responder('nousage', { eku: false });
  responder('stranger', { eku: true, selfSigned: true });
});

describe('OCSP responder authorisation', () => {
  it('a delegated responder with id-kp-OCSPSigning, issued by the intermediate: the leaf is good', async () => {
    const s = (await verifyPdf(signed, { trustAnchors: [root], fetch: fetchVia('delegated') })).signatures[0];
    expect(s.revocation?.certificates[0]).toMatchObject({ status: 'good', source: 'online-ocsp' });
  });

  it('a delegated responder without id-kp-OCSPSigning: unknown', async () => {
    const s = (await verifyPdf(signed, { trustAnchors: [root], fetch: fetchVia('nousage') })).signatures[0];
    expect(s.verdict).toBe('REVOCATION_UNKNOWN');
    expect(s.revocation?.certificates[0].reason).toMatch(/id-kp-OCSPSigning/);
  });

  it('a responder the issuer never certified: unknown', async () => {
    const s = (await verifyPdf(signed, { trustAnchors: [root], fetch: fetchVia('stranger') })).signatures[0];
    expect(s.verdict).toBe('REVOCATION_UNKNOWN');
    expect(s.revocation?.certificates[0].reason).toMatch(/not signed by the issuer or an authorised responder/);
  });
});
