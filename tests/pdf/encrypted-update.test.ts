// The object layer on encrypted files: { decrypt: true } reads plaintext, the incremental writer encrypts what it
// writes with each object's key and keeps /Encrypt and /ID; qpdf, an independent implementation, decrypts it.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { aesCbcDecrypt, decryptBytes, encryptBytes, signingPermitted, type SecurityInfo } from '../../shared/pdf/crypt.ts';
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString } from '../../shared/pdf/objects.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { flateStream, IncrementalWriter } from '../../shared/pdf/writer.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { CORPUS, hasTool, run, tmpFile } from './helpers.ts';

const HAVE = hasTool('qpdf') && hasTool('pdfsig');
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function info(method: SecurityInfo['streamMethod'], key: Uint8Array): SecurityInfo {
  return { filter: 'Standard', v: 4, r: 4, emptyUserPassword: true, key, streamMethod: method, stringMethod: method, p: -4, encryptMetadata: true };
}

describe('per-object encryption', () => {
  test('AES-256 (AESV3): random IV in front, PKCS#7 padding, as OpenSSL decrypts it', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    for (const n of [0, 1, 15, 16, 17, 100]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31) & 255);
      const c = encryptBytes(info('aesv3', key), 'string', 12, 0, data);
      expect(c.length).toBe(16 + (Math.floor(n / 16) + 1) * 16);
      const d = createDecipheriv('aes-256-cbc', key, c.subarray(0, 16));
      expect(hex(Buffer.concat([d.update(c.subarray(16)), d.final()]))).toBe(hex(data));
      expect(hex(decryptBytes(info('aesv3', key), 'string', 12, 0, c))).toBe(hex(data));
    }
    // A fresh IV each time.
    expect(hex(encryptBytes(info('aesv3', key), 'stream', 1, 0, enc('x')))).not.toBe(hex(encryptBytes(info('aesv3', key), 'stream', 1, 0, enc('x'))));
  });

  test('AES-CBC decryption (T-tables) reads what OpenSSL encrypts, 128- and 256-bit keys', () => {
    for (const kl of [16, 32]) {
      const key = Uint8Array.from({ length: kl }, (_, i) => i * 13 + 1);
      const iv = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
      for (const n of [0, 5, 16, 1000, 65536]) {
        const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) & 255);
        const c = createCipheriv(kl === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv);
        const ct = new Uint8Array(Buffer.concat([c.update(data), c.final()]));
        expect(hex(aesCbcDecrypt(key, iv, ct, true))).toBe(hex(data));
      }
    }
  });

  test('AES-128 (AESV2) and RC4 round trips; the object key depends on number and generation', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);
    for (const m of ['aesv2', 'rc4'] as const) {
      const data = enc('KySo1 – (Ký phụ lục)');
      const c = encryptBytes(info(m, key), 'string', 42, 3, data);
      expect(hex(decryptBytes(info(m, key), 'string', 42, 3, c))).toBe(hex(data));
      expect(hex(decryptBytes(info(m, key), 'string', 43, 3, c))).not.toBe(hex(data));
    }
    expect(hex(encryptBytes(info('none', key), 'string', 1, 0, enc('clear')))).toBe(hex(enc('clear')));
  });

  test('signing permission: bit 6, or bit 9 from R3 on', () => {
    const p = (flags: number, r: number) => signingPermitted({ ...info('rc4', new Uint8Array(5)), p: flags | 0, r });
    expect(p(-4, 3)).toBe(true); // everything
    expect(p(-64, 2)).toBe(false); // qpdf-enc-R2: nothing
    expect(p(-2368, 6)).toBe(false); // qpdf-enc-R6: neither
    expect(p(-3376, 4)).toBe(false); // dss protected_none
    expect(p(-3120, 4)).toBe(true); // dss signing_allowed: bit 9 only
    expect(p(-3120, 2)).toBe(false); // bit 9 means nothing in R2
  });
});

describe.skipIf(!HAVE)('reading decrypted and writing encrypted', () => {
  const SRC = `${CORPUS}/plain/pypdf-pdflatex-4-pages.pdf`;
  const plain = PdfReader.open(new Uint8Array(readFileSync(SRC)));
  const plainInfo = plain.resolveDict(plain.trailer.get('Info'))!;
  const plainPage = plain.getPage(0);
  const plainContent = plain.decodeStream(plain.resolveStream(plainPage.dict.get('Contents'))!);

  const CASES: [string, string[]][] = [
    ['R2 RC4-40', ['', 'owner', '40']],
    ['R3 RC4-128', ['', 'owner', '128', '--use-aes=n']],
    ['R4 AES-128', ['', 'owner', '128', '--use-aes=y']],
    ['R4 AES-128 clear-text metadata', ['', 'owner', '128', '--use-aes=y', '--cleartext-metadata']],
    ['R6 AES-256', ['', 'owner', '256']],
  ];
  for (const [name, args] of CASES) {
    for (const objstm of [false, true]) {
      test(`${name}${objstm ? ', object streams' : ''}`, () => {
        const file = tmpFile(`upd-${name.replace(/\W+/g, '_')}-${objstm}.pdf`, new Uint8Array());
        const r0 = run('qpdf', ['--allow-weak-crypto', '--encrypt', ...args, '--', `--object-streams=${objstm ? 'generate' : 'disable'}`, SRC, file]);
        expect(r0.rc === 0 || r0.rc === 3, r0.out).toBe(true);
        const bytes = new Uint8Array(readFileSync(file));

        // Without decrypt: strings as stored, and the writer refuses.
        const raw = PdfReader.open(bytes, { allowEncrypted: true });
        expect(raw.decrypting).toBe(false);
        expect(() => new IncrementalWriter(raw)).toThrow(KysoError);

        // With decrypt: the same strings and content as the unencrypted file.
        const r = PdfReader.open(bytes, { decrypt: true });
        expect(r.decrypting).toBe(true);
        const infoRef = r.trailer.get('Info') as PdfRef;
        const info = r.resolveDict(infoRef)!;
        for (const [k, v] of plainInfo.map) if (v instanceof PdfString) expect((info.get(k) as PdfString).decodeText(), k).toBe(v.decodeText());
        const page = r.getPage(0);
        expect(hex(r.decodeStream(r.resolveStream(page.dict.get('Contents'))!))).toBe(hex(plainContent));

        // An update: a new dictionary with strings, a new stream, the /Info rewritten with one more entry.
        const w = new IncrementalWriter(r);
        const strRef = w.alloc();
        w.put(strRef, new PdfDict({ T: PdfString.text('KySo1'), U: PdfString.text('Ký phụ lục'), E: new PdfString(new Uint8Array(0)), A: [PdfString.latin1('(nested)')] }));
        const stmRef = w.alloc();
        w.put(stmRef, flateStream(new PdfDict({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, 10, 10] }), enc('BT /F1 12 Tf (Hello KySo) Tj ET')));
        const sigRef = w.alloc();
        w.put(sigRef, new PdfDict({ Type: PdfName.of('Sig'), ByteRange: [0, 1, 2, 3], Contents: new PdfString(Uint8Array.of(0x30, 0x82, 1, 2), true), M: PdfString.latin1('D:2026') }));
        const newInfo = info.clone();
        newInfo.set('KySoTest', PdfString.latin1('added'));
        w.put(infoRef, newInfo);
        const out = w.save().bytes;
        const outFile = tmpFile(`upd-${name.replace(/\W+/g, '_')}-${objstm}-out.pdf`, out);

        // qpdf: clean, same encryption, our strings and stream decrypt to what we wrote, /Info as it was plus ours.
        const check = run('qpdf', ['--check', outFile]);
        expect(check.rc, check.out).toBe(0);
        expect(run('qpdf', ['--show-encryption', outFile]).out).toBe(run('qpdf', ['--show-encryption', file]).out);
        expect(run('qpdf', [`--show-object=${strRef.num}`, outFile]).out).toContain('/T (KySo1)');
        expect(run('qpdf', [`--show-object=${stmRef.num}`, '--filtered-stream-data', outFile]).out).toBe('BT /F1 12 Tf (Hello KySo) Tj ET');
        const sigShown = run('qpdf', [`--show-object=${sigRef.num}`, outFile]).out;
        expect(sigShown).toContain('/Contents <30820102>'); // never encrypted
        expect(sigShown).toContain('/M (D:2026)'); // encrypted, and qpdf decrypts it
        const infoBefore = run('qpdf', [`--show-object=${infoRef.num}`, file]).out.trim();
        const infoAfter = run('qpdf', [`--show-object=${infoRef.num}`, outFile]).out.trim();
        expect(infoAfter.replace(' /KySoTest (added)', '')).toBe(infoBefore);
        // Nothing of ours in clear.
        const update = Buffer.from(out.subarray(bytes.length));
        for (const s of ['KySo1', 'Hello', 'added', '(nested)', 'D:2026']) expect(update.includes(s), s).toBe(false);

        // Our reader reads it back.
        const back = PdfReader.open(out, { decrypt: true });
        const d = back.resolveDict(strRef)!;
        expect((d.get('T') as PdfString).decodeText()).toBe('KySo1');
        expect((d.get('U') as PdfString).decodeText()).toBe('Ký phụ lục');
        expect((d.get('E') as PdfString).bytes.length).toBe(0);
        expect(new TextDecoder().decode(back.decodeStream(back.resolveStream(stmRef)!))).toBe('BT /F1 12 Tf (Hello KySo) Tj ET');
        expect(hex((back.resolveDict(sigRef)!.get('Contents') as PdfString).bytes)).toBe('30820102');
        expect(back.trailer.get('Encrypt')).toEqual(r.trailer.get('Encrypt'));
        expect(hex((back.resolve(back.trailer.get('ID')) as PdfString[])[0].bytes)).toBe(hex((r.resolve(r.trailer.get('ID')) as PdfString[])[0].bytes));
      });
    }
  }

  test('a PdfRaw is written as is and a cross-reference stream is never encrypted', () => {
    const file = tmpFile('raw.pdf', new Uint8Array());
    run('qpdf', ['--encrypt', '', 'owner', '256', '--', '--object-streams=generate', SRC, file]);
    const r = PdfReader.open(new Uint8Array(readFileSync(file)), { decrypt: true });
    const w = new IncrementalWriter(r);
    const ref = w.alloc();
    w.put(ref, new PdfDict({ Contents: new PdfRaw(enc('<00112233>'), 'c'), ByteRange: new PdfRaw(enc('[0 0 0 0]'), 'b') }));
    const { bytes, placeholders } = w.save();
    const at = placeholders.get('c')!;
    expect(new TextDecoder().decode(bytes.subarray(at.offset, at.offset + at.length))).toBe('<00112233>');
    expect(r.xrefKind).toBe('stream');
    expect(Buffer.from(bytes).includes('/Type /XRef')).toBe(true);
    expect(run('qpdf', ['--check', tmpFile('raw-out.pdf', bytes)]).rc).toBe(0);
    const w2 = new IncrementalWriter(r);
    w2.put(w2.alloc(), new PdfStream(new PdfDict({ Type: PdfName.of('XRef') }), new Uint8Array()));
    expect(() => w2.save()).toThrow(KysoError);
  });

  test('every encrypted corpus file that opens with the empty password takes an update; earlier signatures stay as pdfsig saw them', () => {
    const files = [
      'plain/qpdf-enc-R2-RC4-40-empty-user-pw.pdf',
      'plain/qpdf-enc-R6-AES256-empty-user-pw.pdf',
      'plain/qpdf-leading-junk.pdf',
      'plain/dss-edition_protected_none.pdf',
      'plain/dss-edition_protected_signing_allowed_with_field.pdf',
      'signed/dss-encrypted.pdf',
      'signed/qpdf-minimal-signed-restricted.pdf',
      'signed/dss-edition_protected_signing_allowed_with_field_signed.pdf',
    ];
    const rank = (c: number) => (c === 0 ? 0 : c === 3 ? 1 : 2);
    const verdicts = (f: string) => [...run('pdfsig', ['-nocert', f]).out.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]);
    for (const f of files) {
      const src = `${CORPUS}/${f}`;
      const bytes = new Uint8Array(readFileSync(src));
      const r = PdfReader.open(bytes, { decrypt: true });
      expect(r.decrypting, f).toBe(true);
      const w = new IncrementalWriter(r);
      const ref = w.alloc();
      w.put(ref, new PdfDict({ T: PdfString.text('KySo-update') }));
      // The first page rewritten as signing does (its strings, if any, re-encrypted with the same key).
      const page = r.getPage(0);
      w.put(page.ref, page.dict.clone());
      const out = w.save().bytes;
      const outFile = tmpFile(`corpus-${f.replace(/\W+/g, '_')}`, out);
      expect(rank(run('qpdf', ['--check', outFile]).rc), f).toBeLessThanOrEqual(rank(run('qpdf', ['--check', src]).rc));
      expect(run('qpdf', ['--show-encryption', outFile]).out, f).toBe(run('qpdf', ['--show-encryption', src]).out);
      expect(run('qpdf', [`--show-object=${ref.num}`, outFile]).out, f).toContain('/T (KySo-update)');
      // (the writer writes 612 for 612.0)
      const norm = (t: string) => t.replace(/(\d)\.0+(?!\d)/g, '$1');
      expect(norm(run('qpdf', [`--show-object=${page.ref.num}`, outFile]).out), f).toBe(norm(run('qpdf', [`--show-object=${page.ref.num}`, src]).out));
      expect(verdicts(outFile), f).toEqual(verdicts(src));
      expect((PdfReader.open(out, { decrypt: true }).resolveDict(ref)!.get('T') as PdfString).decodeText()).toBe('KySo-update');
    }
  });

  test('files that need a password stay refused', () => {
    for (const f of ['plain/qpdf-enc-R3-user-pw-view.pdf', 'signed/pyhanko-signed-encrypted-pubkey-with-catalog-ref.pdf']) {
      const bytes = new Uint8Array(readFileSync(`${CORPUS}/${f}`));
      expect(() => PdfReader.open(bytes, { decrypt: true }), f).toThrow(expect.objectContaining({ code: 'PDF_PASSWORD_REQUIRED' }));
    }
  });
});
