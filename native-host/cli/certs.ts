// kyso certs --token LABEL [--module PATH] [--json]: the certificates on a token, with what the signing UI needs.

import { canSign, certValidity, parseCertificate } from '@kyso/shared/pki/certificate';
import { asKysoError, KysoError } from '@kyso/shared/protocol/errors';
import { Pkcs11Service } from '../token/pkcs11-service.ts';
import { parse, usage } from './args.ts';
import { modulePaths } from './module-path.ts';

export interface CertListing {
  id: string;
  label: string;
  subject: string;
  commonName?: string;
  organisation?: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  validity: 'valid' | 'expired' | 'not-yet-valid';
  keyUsage: string[] | null;
  canSign: boolean;
  hasPrivateKey: boolean;
  keyType: string;
  keyBits?: number;
  sha256: string;
}

export async function certsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { module: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } });
  if (!values.token) throw usage('--token LABEL is required.', 'Thiếu --token (nhãn của token, xem kyso tokens).');
  const token = values.token;
  let lastError: KysoError | undefined;
  for (const path of modulePaths(values.module)) {
    try {
      const certs = await Pkcs11Service.use(path, (s) => s.listCertificates(token));
      const now = new Date();
      const listing: CertListing[] = certs.map((c) => {
        const info = parseCertificate(c.der);
        return {
          id: c.id,
          label: c.label,
          subject: info.subjectString,
          commonName: info.subject.CN,
          organisation: info.subject.O,
          issuer: info.issuerString,
          serialNumber: info.serialNumber,
          notBefore: info.notBefore.toISOString(),
          notAfter: info.notAfter.toISOString(),
          validity: certValidity(info, now),
          keyUsage: info.keyUsage,
          canSign: canSign(info) && !info.isCA,
          hasPrivateKey: c.hasPrivateKey,
          keyType: c.keyType,
          keyBits: c.keyBits,
          sha256: info.fingerprints.sha256,
        };
      });
      if (values.json) process.stdout.write(JSON.stringify({ module: path, token, certificates: listing }, null, 2) + '\n');
      else
        for (const c of listing) {
          const state = c.validity === 'expired' ? ' [đã hết hạn]' : c.validity === 'not-yet-valid' ? ' [chưa có hiệu lực]' : '';
          process.stdout.write(`${c.label} (CKA_ID ${c.id})  ${c.commonName ?? c.subject}${state}\n  cấp bởi: ${c.issuer}\n  hiệu lực: ${c.notBefore} → ${c.notAfter}\n`);
        }
      return 0;
    } catch (e) {
      lastError = asKysoError(e);
      if (values.module || lastError.code !== 'TOKEN_NOT_FOUND') throw lastError;
    }
  }
  throw lastError ?? new KysoError('TOKEN_NOT_FOUND');
}
