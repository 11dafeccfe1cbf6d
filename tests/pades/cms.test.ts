import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { digestAlgorithmIdentifier, OID, signatureAlgorithmIdentifier, type HashAlg, type SignatureScheme } from '../../shared/pades/algorithms.ts';
import { isDerSorted, padesSignedAttributes } from '../../shared/pades/attributes.ts';
import { addUnsignedAttribute, estimateCmsSize, parseCms } from '../../shared/pades/signed-data.ts';
import { buildPadesCms, cmsSizeInfo, type DigestSigner } from '../../shared/pades/signer.ts';
import { derOctetString, derOid, derSequence, readDer, childrenOf, contentOf } from '../../shared/pki/der.ts';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { makeTestPki, openssl, opensslStatus, signDigestWithKey, softwareSigner, type TestCert, type TestPki } from './helpers.ts';

let pki: TestPki;
let n = 0;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

afterAll(() => {
  if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
});

beforeAll(() => {
  pki = makeTestPki();
});

const sha = (hash: HashAlg, data: Uint8Array) => new Uint8Array(crypto.createHash(hash.replace('-', '').toLowerCase()).update(data).digest());

/** Writes content + CMS, runs openssl cms -verify against the test root; returns the result for the file pair. */
function verifyWithOpenssl(content: Uint8Array, cms: Uint8Array): { ok: boolean; out: string } {
  const id = ++n;
  const data = path.join(pki.dir, `data-${id}.bin`);
  const sig = path.join(pki.dir, `sig-${id}.der`);
  fs.writeFileSync(data, content);
  fs.writeFileSync(sig, cms);
  return opensslStatus(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', pki.root.certPath, '-purpose', 'any', '-out', path.join(pki.dir, `out-${id}.bin`)]);
}

function cmsPrint(cms: Uint8Array): string {
  const sig = path.join(pki.dir, `print-${++n}.der`);
  fs.writeFileSync(sig, cms);
  return openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]);
}

const cases: { name: string; leaf: () => TestCert; scheme: SignatureScheme; hash: HashAlg; sigAlgOid: string }[] = [
  { name: 'RSA PKCS#1 v1.5, SHA-256', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pkcs1' }, hash: 'SHA-256', sigAlgOid: OID.rsaEncryption },
  { name: 'RSA PKCS#1 v1.5, SHA-384', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pkcs1' }, hash: 'SHA-384', sigAlgOid: OID.rsaEncryption },
  { name: 'RSA PKCS#1 v1.5, SHA-512', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pkcs1' }, hash: 'SHA-512', sigAlgOid: OID.rsaEncryption },
  { name: 'RSASSA-PSS, SHA-256, salt 32', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pss', saltLength: 32 }, hash: 'SHA-256', sigAlgOid: OID.rsassaPss },
  { name: 'RSASSA-PSS, SHA-512, salt 64', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pss', saltLength: 64 }, hash: 'SHA-512', sigAlgOid: OID.rsassaPss },
  { name: 'RSASSA-PSS, SHA-256, salt 20 (the DEFAULT, left out)', leaf: () => pki.rsaLeaf, scheme: { kind: 'rsa-pss', saltLength: 20 }, hash: 'SHA-256', sigAlgOid: OID.rsassaPss },
  { name: 'ECDSA P-256, SHA-256', leaf: () => pki.ecLeaf, scheme: { kind: 'ecdsa' }, hash: 'SHA-256', sigAlgOid: OID.ecdsaWithSHA256 },
  { name: 'ECDSA P-256, SHA-512', leaf: () => pki.ecLeaf, scheme: { kind: 'ecdsa' }, hash: 'SHA-512', sigAlgOid: OID.ecdsaWithSHA512 },
  { name: 'ECDSA P-384, SHA-384', leaf: () => pki.ec384Leaf, scheme: { kind: 'ecdsa' }, hash: 'SHA-384', sigAlgOid: OID.ecdsaWithSHA384 },
];

describe('buildPadesCms verifies with openssl cms -verify', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const content = new TextEncoder().encode(`%PDF-1.7 nội dung văn bản ${c.name}\n`.repeat(50));
      const signer = softwareSigner(c.leaf(), [pki.sub, pki.root], c.scheme);
      const cms = await buildPadesCms({ contentDigest: sha(c.hash, content), hash: c.hash, signer, signingTime: new Date() });
      expect(signer.calls).toBe(1);

      const good = verifyWithOpenssl(content, cms);
      expect(good.out).toContain('Verification successful');
      expect(good.ok).toBe(true);

      const tampered = content.slice();
      tampered[100] ^= 0x01;
      const bad = verifyWithOpenssl(tampered, cms);
      expect(bad.ok).toBe(false);
      expect(bad.out).toMatch(/digest failure|verification failure/i);

      const parsed = parseCms(cms);
      expect(parsed.signer.signatureAlgorithm.oid).toBe(c.sigAlgOid);
      expect(parsed.signer.hash).toBe(c.hash);
      expect(parsed.signer.messageDigest).toEqual(sha(c.hash, content));
    });
  }
});

describe('structure', () => {
  let cms: Uint8Array;
  const content = new TextEncoder().encode('Văn bản cần ký');
  beforeAll(async () => {
    const signer = softwareSigner(pki.rsaLeaf, [pki.sub, pki.root, pki.sub], { kind: 'rsa-pkcs1' });
    cms = await buildPadesCms({ contentDigest: sha('SHA-256', content), hash: 'SHA-256', signer, signingTime: new Date() });
  });

  test('SignedData v1, detached id-data, signer + chain without duplicates, SignerInfo v1', () => {
    const p = parseCms(cms);
    expect(p.version).toBe(1);
    expect(p.digestAlgorithms).toEqual([OID.sha256]);
    expect(p.encapContentType).toBe(OID.data);
    expect(p.hasEContent).toBe(false);
    expect(p.certificates.map((c) => parseCertificate(c).subject.CN)).toEqual([pki.rsaLeaf, pki.sub, pki.root].map((c) => parseCertificate(c.der).subject.CN));
    expect(p.signer.version).toBe(1);
    expect(p.signerCertificate && Buffer.from(p.signerCertificate).equals(Buffer.from(pki.rsaLeaf.der))).toBe(true);
    expect(p.signer.issuerAndSerial?.serialHex).toBe('F1E2D3C4B5A6978800');
    expect(p.signer.contentType).toBe(OID.data);
    // digest algorithm with absent parameters (RFC 5754)
    expect(Buffer.from(digestAlgorithmIdentifier('SHA-256')).toString('hex')).toBe('300b0609608648016503040201');
    // rsaEncryption with NULL parameters
    expect(Buffer.from(p.signer.signatureAlgorithm.der).toString('hex')).toBe('300d06092a864886f70d0101010500');
    expect(p.signer.signature).toHaveLength(256);
  });

  test('signed attributes: exactly content-type, message-digest, signing-certificate-v2, DER-sorted, signed with the SET tag', () => {
    const p = parseCms(cms);
    const attrs = p.signer.signedAttributes;
    expect(attrs.map((a) => a.oid).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(attrs.some((a) => a.oid === OID.signingTime)).toBe(false);
    expect(isDerSorted(attrs.map((a) => a.der))).toBe(true);
    expect(p.signer.signedAttributesDer![0]).toBe(0x31);
    // the signature covers the 0x31 encoding: check with the public key (PKCS#1 v1.5 over SHA-256 of those bytes)
    const pub = crypto.createPublicKey({ key: Buffer.from(parseCertificate(pki.rsaLeaf.der).spki), format: 'der', type: 'spki' });
    expect(crypto.verify('sha256', p.signer.signedAttributesDer!, pub, p.signer.signature)).toBe(true);
    const asA0 = p.signer.signedAttributesDer!.slice();
    asA0[0] = 0xa0;
    expect(crypto.verify('sha256', asA0, pub, p.signer.signature)).toBe(false);
  });

  test('signing-certificate-v2: ESSCertIDv2 without hashAlgorithm, SHA-256 certHash, issuerSerial of the signer', () => {
    const attr = parseCms(cms).signer.signedAttributes.find((a) => a.oid === OID.signingCertificateV2)!;
    expect(attr.values).toHaveLength(1);
    const signingCertV2 = readDer(attr.values[0]);
    const certs = childrenOf(signingCertV2)[0];
    expect(childrenOf(signingCertV2)).toHaveLength(1); // no policies
    const essCertIdV2 = childrenOf(certs)[0];
    const [certHash, issuerSerial, extra] = childrenOf(essCertIdV2);
    expect(extra).toBeUndefined();
    expect(certHash.idBlock.tagNumber).toBe(4); // first field is the OCTET STRING: hashAlgorithm omitted
    expect(contentOf(certHash)).toEqual(sha('SHA-256', pki.rsaLeaf.der));
    const [generalNames, serial] = childrenOf(issuerSerial);
    const directoryName = childrenOf(generalNames)[0];
    expect(directoryName.idBlock.tagClass).toBe(3);
    expect(directoryName.idBlock.tagNumber).toBe(4);
    expect(Buffer.from(childrenOf(directoryName)[0].valueBeforeDecodeView)).toEqual(Buffer.from(parseCertificate(pki.rsaLeaf.der).issuer.der));
    expect(Buffer.from(contentOf(serial)).toString('hex').toUpperCase()).toBe('00F1E2D3C4B5A6978800');
  });

  test('openssl prints signingCertificateV2 and no signingTime; asn1parse agrees', () => {
    const printed = cmsPrint(cms);
    expect(printed).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(printed).not.toMatch(/signingTime/);
    expect(printed).toMatch(/messageDigest/);
    expect(printed).toMatch(/contentType/);
    const file = path.join(pki.dir, 'asn1.der');
    fs.writeFileSync(file, cms);
    const asn1 = openssl(['asn1parse', '-inform', 'DER', '-in', file]);
    expect(asn1).toMatch(/id-smime-aa-signingCertificateV2/);
    expect(asn1).not.toMatch(/signingTime/);
  });

  test('pkijs reads it and verifies the detached signature', async () => {
    const ci = pkijs.ContentInfo.fromBER(cms as Uint8Array<ArrayBuffer>);
    const sd = new pkijs.SignedData({ schema: ci.content });
    expect(sd.signerInfos).toHaveLength(1);
    const ok = await sd.verify({ signer: 0, data: content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength) as ArrayBuffer, checkChain: false });
    expect(ok).toBe(true);
  });

  test('every length is definite (DER) and the whole thing re-encodes to itself', () => {
    // asn1js re-encodes what it parsed; a DER input comes back byte for byte
    const again = new Uint8Array(readDer(cms).toBER(false));
    expect(Buffer.from(again).equals(Buffer.from(cms))).toBe(true);
  });
});

describe('parseCms on a CMS made by openssl', () => {
  test('reads it, and openssl writes the same signature algorithm identifiers as KýSố', () => {
    const data = path.join(pki.dir, 'ossl-data.bin');
    fs.writeFileSync(data, 'openssl content');
    const variants: { opts: string[]; scheme: SignatureScheme; hash: HashAlg }[] = [
      { opts: ['-md', 'sha256'], scheme: { kind: 'rsa-pkcs1' }, hash: 'SHA-256' },
      { opts: ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:32'], scheme: { kind: 'rsa-pss', saltLength: 32 }, hash: 'SHA-256' },
      { opts: ['-md', 'sha384', '-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:48'], scheme: { kind: 'rsa-pss', saltLength: 48 }, hash: 'SHA-384' },
    ];
    for (const v of variants) {
      const out = path.join(pki.dir, `ossl-${++n}.der`);
      openssl(['cms', '-sign', '-binary', '-in', data, '-signer', pki.rsaLeaf.certPath, '-inkey', pki.rsaLeaf.keyPath, '-certfile', pki.sub.certPath, ...v.opts, '-outform', 'DER', '-out', out]);
      const p = parseCms(new Uint8Array(fs.readFileSync(out)));
      expect(p.hasEContent).toBe(false);
      expect(p.signer.hash).toBe(v.hash);
      expect(p.signerCertificate && Buffer.from(p.signerCertificate).equals(Buffer.from(pki.rsaLeaf.der))).toBe(true);
      expect(p.certificates).toHaveLength(2);
      expect(p.signer.messageDigest).toEqual(sha(v.hash, fs.readFileSync(data)));
      expect(p.signer.signedAttributes.some((a) => a.oid === OID.signingTime)).toBe(true); // openssl adds it; KýSố does not
      expect(hex(p.signer.signatureAlgorithm.der)).toBe(hex(signatureAlgorithmIdentifier(v.scheme, v.hash)));
    }
  });
});

describe('unsigned attributes (the place for B-T timestamps)', () => {
  test('addUnsignedAttribute keeps the signature valid and sorts the set', async () => {
    const content = new TextEncoder().encode('content for timestamp');
    const signer = softwareSigner(pki.ecLeaf, [pki.sub], { kind: 'ecdsa' });
    const cms = await buildPadesCms({ contentDigest: sha('SHA-256', content), hash: 'SHA-256', signer });
    const before = parseCms(cms);
    const fakeToken = derSequence(derOid(OID.signedData), derOctetString(new Uint8Array(300).fill(7)));
    const withTs = addUnsignedAttribute(cms, OID.signatureTimeStampToken, fakeToken);
    const other = addUnsignedAttribute(withTs, '1.2.3.4', derOctetString(Uint8Array.of(1, 2, 3)));
    const after = parseCms(other);
    expect(after.signer.unsignedAttributes.map((a) => a.oid).sort()).toEqual(['1.2.3.4', OID.signatureTimeStampToken].sort());
    expect(isDerSorted(after.signer.unsignedAttributes.map((a) => a.der))).toBe(true);
    expect(after.signer.unsignedAttributes.find((a) => a.oid === OID.signatureTimeStampToken)!.values[0]).toEqual(fakeToken);
    expect(after.signer.signedAttributesDer).toEqual(before.signer.signedAttributesDer);
    expect(after.signer.signature).toEqual(before.signer.signature);
    expect(after.certificates).toEqual(before.certificates);
    expect(verifyWithOpenssl(content, other).ok).toBe(true);
    expect(cmsPrint(other)).toMatch(/id-smime-aa-timeStampToken|1\.2\.840\.113549\.1\.9\.16\.2\.14/);
  });

  test('the timestamp option is called with the signature value and adds signature-time-stamp', async () => {
    const content = new TextEncoder().encode('B-T hook');
    const signer = softwareSigner(pki.rsaLeaf, [pki.sub], { kind: 'rsa-pkcs1' });
    let seen: Uint8Array | undefined;
    const cms = await buildPadesCms({
      contentDigest: sha('SHA-256', content),
      hash: 'SHA-256',
      signer,
      timestamp: async (sig, hash) => {
        seen = sig;
        return derSequence(derOid('1.2.3'), derOctetString(sha(hash, sig)));
      },
    });
    const p = parseCms(cms);
    expect(seen).toEqual(p.signer.signature);
    const ts = p.signer.unsignedAttributes.find((a) => a.oid === OID.signatureTimeStampToken)!;
    expect(ts.values[0]).toEqual(derSequence(derOid('1.2.3'), derOctetString(sha('SHA-256', p.signer.signature))));
    expect(verifyWithOpenssl(content, cms).ok).toBe(true);
  });

  test('bad input', () => {
    expect(() => addUnsignedAttribute(Uint8Array.of(1, 2, 3), '1.2.3', derOctetString(Uint8Array.of(1)))).toThrow();
    expect(() => parseCms(Uint8Array.of(0x30, 0x00))).toThrow(/SignedData/);
  });
});

describe('estimateCmsSize', () => {
  for (const c of cases.filter((x) => x.hash !== 'SHA-384')) {
    test(`is an upper bound, not a wasteful one: ${c.name}`, async () => {
      const signer = softwareSigner(c.leaf(), [pki.sub, pki.root], c.scheme);
      const cms = await buildPadesCms({ contentDigest: sha(c.hash, new Uint8Array(10)), hash: c.hash, signer });
      const exact = estimateCmsSize(cmsSizeInfo(signer), false);
      const rough = estimateCmsSize({ certificates: [signer.certificate, ...signer.chain], keyBits: parseCertificate(signer.certificate).keyType.kind === 'rsa' ? 2048 : 384 }, false);
      const minimal = estimateCmsSize({ certificatesBytes: [signer.certificate, ...signer.chain].reduce((s, x) => s + x.length, 0), keyBits: 2048 }, false);
      for (const est of [exact, rough, minimal]) expect(est).toBeGreaterThanOrEqual(cms.length);
      expect(exact - cms.length).toBeLessThan(1024);
      const ts = estimateCmsSize(cmsSizeInfo(signer), true);
      expect(ts - exact).toBeGreaterThanOrEqual(8 * 1024);
      const withToken = addUnsignedAttribute(cms, OID.signatureTimeStampToken, derOctetString(new Uint8Array(8000)));
      expect(ts).toBeGreaterThanOrEqual(withToken.length);
    });
  }
});

describe('errors', () => {
  const digest32 = new Uint8Array(32);
  test('a digest of the wrong length', async () => {
    const signer = softwareSigner(pki.rsaLeaf, [], { kind: 'rsa-pkcs1' });
    await expect(buildPadesCms({ contentDigest: new Uint8Array(20), hash: 'SHA-256', signer })).rejects.toSatisfy((e) => isKysoError(e, 'INVALID_ARGUMENT'));
  });
  test('a scheme that does not fit the key', async () => {
    const signer = { ...softwareSigner(pki.rsaLeaf, [], { kind: 'rsa-pkcs1' }), scheme: { kind: 'ecdsa' } as SignatureScheme };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer })).rejects.toSatisfy((e) => isKysoError(e, 'INVALID_ARGUMENT'));
  });
  test('a signature made with another key is caught (SIGNATURE_INVALID)', async () => {
    const other = softwareSigner(pki.sub, [], { kind: 'rsa-pkcs1' });
    const signer: DigestSigner = { ...softwareSigner(pki.rsaLeaf, [], { kind: 'rsa-pkcs1' }), signDigest: other.signDigest };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer })).rejects.toSatisfy((e) => isKysoError(e, 'SIGNATURE_INVALID'));
    const otherEcKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const ec: DigestSigner = { ...softwareSigner(pki.ecLeaf, [], { kind: 'ecdsa' }), signDigest: async (d, h) => signDigestWithKey(otherEcKey, { kind: 'ecdsa' }, d, h) };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer: ec })).rejects.toSatisfy((e) => isKysoError(e, 'SIGNATURE_INVALID'));
  });
  test('a PSS signature whose salt length differs from the declared one is caught', async () => {
    const pss: DigestSigner = {
      ...softwareSigner(pki.rsaLeaf, [], { kind: 'rsa-pss', saltLength: 20 }),
      signDigest: async (d, h) => signDigestWithKey(pki.rsaLeaf.key, { kind: 'rsa-pss', saltLength: 32 }, d, h),
    };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer: pss })).rejects.toSatisfy((e) => isKysoError(e, 'SIGNATURE_INVALID'));
    // with the check off, the mismatch goes through (the caller asked for it)
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer: pss, verifySignature: false })).resolves.toBeInstanceOf(Uint8Array);
  });
  test('raw r‖s where DER is expected is refused', async () => {
    const raw: DigestSigner = { ...softwareSigner(pki.ecLeaf, [], { kind: 'ecdsa' }), signDigest: async () => new Uint8Array(64).fill(0x11) };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer: raw })).rejects.toSatisfy((e) => isKysoError(e, 'SIGNATURE_INVALID'));
  });
  test('an RSA signature short of its leading zero bytes is padded back to the modulus length', async () => {
    // Some tokens return the signature as an integer without leading zero bytes. Sign varied content until the
    // signature starts with 0x00 (about one in 256), hand it over stripped, and check the CMS still verifies.
    const base = softwareSigner(pki.rsaLeaf, [pki.sub], { kind: 'rsa-pkcs1' });
    let stripped = 0;
    const signer: DigestSigner = {
      ...base,
      async signDigest(d, h) {
        const s = await base.signDigest(d, h);
        let i = 0;
        while (s[i] === 0) i++;
        stripped = i;
        return s.subarray(i);
      },
    };
    // Find content whose signature starts with 0x00 the cheap way (same signed attributes buildPadesCms makes).
    for (let i = 0; i < 5000; i++) {
      const content = new TextEncoder().encode(`short signature ${i}`);
      const attrs = await padesSignedAttributes({ contentDigest: sha('SHA-256', content), hash: 'SHA-256', certificate: pki.rsaLeaf.der });
      if (signDigestWithKey(pki.rsaLeaf.key, { kind: 'rsa-pkcs1' }, sha('SHA-256', attrs), 'SHA-256')[0] !== 0) continue;
      const cms = await buildPadesCms({ contentDigest: sha('SHA-256', content), hash: 'SHA-256', signer });
      expect(stripped).toBeGreaterThan(0);
      expect(parseCms(cms).signer.signature).toHaveLength(256);
      expect(verifyWithOpenssl(content, cms).ok).toBe(true);
      return;
    }
    throw new Error('no signature with a leading zero byte in 5000 tries');
  });
  test('a token error is reported as a KysoError', async () => {
    const failing: DigestSigner = { ...softwareSigner(pki.rsaLeaf, [], { kind: 'rsa-pkcs1' }), signDigest: async () => { throw new Error('CKR_DEVICE_ERROR'); } };
    await expect(buildPadesCms({ contentDigest: digest32, hash: 'SHA-256', signer: failing })).rejects.toSatisfy((e) => isKysoError(e, 'TOKEN_ERROR'));
  });
});
