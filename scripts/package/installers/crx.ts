// CRX3, the package Chrome and Edge install from a self-hosted update server:
//
//   "Cr24" | uint32 LE 3 | uint32 LE header length | CrxFileHeader (protobuf) | zip archive
//
//   CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2; bytes signed_header_data = 10000; }
//   AsymmetricKeyProof { bytes public_key = 1 (DER SubjectPublicKeyInfo); bytes signature = 2; }
//   SignedData { bytes crx_id = 1 }   — the first 16 bytes of SHA-256(public key)
//
// The signature (RSASSA-PKCS1-v1_5, SHA-256) covers "CRX3 SignedData\0" | uint32 LE length of signed_header_data |
// signed_header_data | archive. The browser takes the extension ID from crx_id (written a–p), and refuses the
// package unless a proof with that key verifies — so only the holder of the private key can publish updates.

import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { bytesField, readFields } from './protobuf.ts';

const MAGIC = Buffer.from('Cr24', 'ascii');
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'latin1');
const FIELD_SHA256_WITH_RSA = 2;
const FIELD_SIGNED_HEADER_DATA = 10000;

/** The 32-letter extension ID of a public key (DER SubjectPublicKeyInfo): SHA-256's first 16 bytes, hex 0–f as a–p. */
export function extensionIdOf(publicKeyDer: Uint8Array): string {
  return crxIdToExtensionId(createHash('sha256').update(publicKeyDer).digest().subarray(0, 16));
}

export function crxIdToExtensionId(crxId: Uint8Array): string {
  return [...Buffer.from(crxId).toString('hex')].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

function le32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

function signedPayload(signedHeaderData: Uint8Array, archive: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, le32(signedHeaderData.length), signedHeaderData, archive]);
}

export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** Packs a zip archive into a CRX3 signed with an RSA private key (PEM, PKCS#8 or PKCS#1). */
export function packCrx(archive: Uint8Array, privateKeyPem: string | Buffer): Buffer {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`The extension key must be RSA (got ${key.asymmetricKeyType}).`);
  const pub = publicKeyDer(key);
  const crxId = createHash('sha256').update(pub).digest().subarray(0, 16);
  const signedHeaderData = bytesField(1, crxId);
  const signature = sign('sha256', signedPayload(signedHeaderData, archive), key);
  const proof = Buffer.concat([bytesField(1, pub), bytesField(2, signature)]);
  const header = Buffer.concat([bytesField(FIELD_SHA256_WITH_RSA, proof), bytesField(FIELD_SIGNED_HEADER_DATA, signedHeaderData)]);
  return Buffer.concat([MAGIC, le32(3), le32(header.length), header, archive]);
}

export interface ParsedCrx {
  version: number;
  /** From signed_header_data. */
  crxId: Buffer;
  extensionId: string;
  proofs: { publicKey: Buffer; signature: Buffer; verified: boolean; extensionId: string }[];
  archive: Buffer;
}

/** Reads a CRX3 back and verifies every RSA proof, as the browser would. Throws on a malformed file. */
export function parseCrx(crx: Buffer): ParsedCrx {
  if (crx.length < 12 || !crx.subarray(0, 4).equals(MAGIC)) throw new Error('Not a CRX file (no "Cr24").');
  const version = crx.readUInt32LE(4);
  if (version !== 3) throw new Error(`CRX version ${version}, expected 3.`);
  const headerLength = crx.readUInt32LE(8);
  if (12 + headerLength > crx.length) throw new Error('CRX header runs past the end of the file.');
  const header = crx.subarray(12, 12 + headerLength);
  const archive = crx.subarray(12 + headerLength);
  const fields = readFields(header);
  const signedHeaderData = fields.find((f) => f.field === FIELD_SIGNED_HEADER_DATA)?.bytes;
  if (!signedHeaderData) throw new Error('CRX header has no signed_header_data.');
  const crxId = readFields(signedHeaderData).find((f) => f.field === 1)?.bytes;
  if (!crxId || crxId.length !== 16) throw new Error('signed_header_data has no 16-byte crx_id.');
  const payload = signedPayload(signedHeaderData, archive);
  const proofs = fields
    .filter((f) => f.field === FIELD_SHA256_WITH_RSA && f.bytes)
    .map((f) => {
      const parts = readFields(f.bytes as Buffer);
      const publicKey = parts.find((p) => p.field === 1)?.bytes ?? Buffer.alloc(0);
      const signature = parts.find((p) => p.field === 2)?.bytes ?? Buffer.alloc(0);
      let verified = false;
      try {
        verified = verify('sha256', payload, createPublicKey({ key: publicKey, format: 'der', type: 'spki' }), signature);
      } catch {
        verified = false;
      }
      return { publicKey, signature, verified, extensionId: extensionIdOf(publicKey) };
    });
  return { version, crxId, extensionId: crxIdToExtensionId(crxId), proofs, archive };
}
