// PdfReader: lazy access to the objects of a PDF file (ISO 32000-2 §7.5).
//
// Opening reads only the header, the xref chain (startxref -> section -> /Prev ...) and the catalog; objects are
// parsed when asked for and cached. When the xref cannot be used as written (startxref or a section unreadable,
// a /Prev loop, entries pointing at the wrong object) the file is scanned for "N G obj" headers and the xref is
// rebuilt or repaired; `recovered` then says so, and the incremental writer makes its update self-sufficient.
//
// Leading junk before "%PDF-": ISO 32000 counts offsets from the start of the file, but in every such file we
// have (corpus: pdf20ex-pdf-2.0-with-offset-start.pdf, 656 bytes of junk; qpdf-leading-junk.pdf, 14 bytes) they
// count from the %PDF header. Tried on junk-prefixed files built both ways (tests/pdf/writer.test.ts): qpdf 11
// and pdf.js read header-relative offsets cleanly and must reconstruct the xref for file-relative ones; poppler
// 22 opens both without a word; MuPDF 1.21 rejects any junk before the header and rebuilds by scanning. The
// reader tries both bases and keeps the one under which the xref is consistent: `offsetBase` is what must be
// added to an offset written in the xref to get a position in `bytes` (0 or headerOffset); the writer writes
// new offsets with the same base. After a rebuild by scanning the base is the header (what the readers assume).

import { KysoError } from '../protocol/errors.ts';
import { decryptBytes, examineEncryption, decryptStreamBytes, streamHasIdentityCrypt, type SecurityInfo } from './crypt.ts';
import { decodeFilters, type DecodeResult } from './filters.ts';
import { isRegular, Lexer, TOK_NUM } from './lexer.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.ts';
import { ascii, indexOfBytes, parseIndirectObject, Parser, readObjHeader } from './parser.ts';
import { scanFile } from './recover.ts';
import {
  ENTRY_COMPRESSED,
  ENTRY_FREE,
  ENTRY_OFFSET,
  findStartxref,
  isTableAt,
  readTable,
  readXrefStream,
  XrefError,
  type XrefEntry,
  type XrefSection,
} from './xref.ts';

export interface PdfPage {
  index: number;
  ref: PdfRef;
  dict: PdfDict;
  mediaBox: [number, number, number, number];
  /** Defaults to the MediaBox; normalised (x1 < x2, y1 < y2) and clipped to the MediaBox. */
  cropBox: [number, number, number, number];
  rotate: 0 | 90 | 180 | 270;
  resources: PdfDict | undefined;
}

export interface OpenOptions {
  /**
   * Open encrypted files instead of refusing them. Strings and streams are NOT decrypted: getObject returns
   * them as stored, and decodeStream on an encrypted stream fails or returns garbage. Object streams are
   * decrypted when the empty user password opens the file, so their objects can be read; without the key,
   * objects inside object streams read as null. Meant for reading the structure of signed encrypted files
   * (signature dictionaries: /Contents of a signature is never encrypted).
   */
  allowEncrypted?: boolean;
  /**
   * Open encrypted files that the EMPTY user password opens, and decrypt them: every string and stream that
   * getObject returns is plaintext (the file key and each object's number and generation give its key), so the
   * objects can be read, decoded and written back by the incremental writer, which encrypts them again.
   * Left as stored: the /Encrypt dictionary, cross-reference streams, the /Contents string of a signature
   * dictionary (any dictionary with /ByteRange; ISO 32000-2 §7.6.2), /Type /Metadata streams when
   * /EncryptMetadata is false, streams whose first filter is an /Identity /Crypt filter, and everything inside
   * object streams (decrypted as part of their stream). A file that needs a password (or a handler other than
   * Standard) still throws PDF_PASSWORD_REQUIRED. Unencrypted files open as usual.
   */
  decrypt?: boolean;
}

/** One entry of the merged xref as the writer needs it. Offsets are as they would be written (minus offsetBase). */
export type LiveEntry = { num: number; gen: number; type: 'offset'; offset: number } | { num: number; gen: 0; type: 'compressed'; stream: number; index: number };

const MAX_RESOLVE_DEPTH = 32;
const MAX_TREE_DEPTH = 256;
const FLAT_NODE_SHORTCUT = 32;
const DEFAULT_MEDIABOX: [number, number, number, number] = [0, 0, 612, 792];
const PDF_HEADER = ascii('%PDF-');
const EOF_MARK = ascii('%%EOF');
/** Trailer keys that describe an xref section rather than the document. */
const SECTION_KEYS = ['Prev', 'XRefStm', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms', 'F', 'FFilter', 'FDecodeParms', 'DL'];

interface ObjStm {
  data: Uint8Array;
  first: number;
  /** [num, offset] pairs from the header. */
  pairs: [number, number][];
}

interface Inherited {
  resources?: PdfObject;
  mediaBox?: PdfObject;
  cropBox?: PdfObject;
  rotate?: PdfObject;
}

interface PageLeaf {
  ref: PdfRef;
  dict: PdfDict;
  inh: Inherited;
}

class PageTreeMiss extends Error {}

export class PdfReader {
  readonly bytes: Uint8Array;
  readonly headerOffset: number;
  readonly version: string;
  readonly trailer: PdfDict;
  readonly xrefKind: 'table' | 'stream';
  readonly recovered: boolean;
  readonly startxref: number;
  readonly size: number;
  /** Added to xref offsets to get positions in `bytes` (see the file comment). */
  readonly offsetBase: number;
  /**
   * True when `startxref` leads to a readable xref section (even if older sections or some entries had to be
   * repaired): a new revision may then point back to it with /Prev.
   */
  readonly startxrefValid: boolean;
  private enc: SecurityInfo | undefined;

  private entries = new Map<number, XrefEntry>();
  private cache = new Map<number, PdfObject>();
  private loading = new Set<number>();
  private objStms = new Map<number, ObjStm | null>();
  private catalogDict: PdfDict | undefined;
  private pageCountCache: number | undefined;
  private pageList: PageLeaf[] | undefined;
  private revisionList: { startxref: number; eofOffset: number }[] | undefined;
  private sections: XrefSection[] = [];
  /** Derive the file key (needed only when encrypted files are opened). */
  private readonly wantKey: boolean;
  /** Strings and streams are decrypted on load (OpenOptions.decrypt, file key known). */
  private decryptOn = false;
  /** Object number of the /Encrypt dictionary (never decrypted). */
  private encryptNum = -1;

  static open(bytes: Uint8Array, options: OpenOptions = {}): PdfReader {
    if (!(bytes instanceof Uint8Array)) throw new KysoError('INVALID_ARGUMENT', 'PdfReader.open expects a Uint8Array.');
    if (bytes.length === 0) throw new KysoError('PDF_EMPTY');
    try {
      return new PdfReader(bytes, options);
    } catch (e) {
      if (e instanceof KysoError) throw e;
      // Anything else is a bug or hostile input we did not foresee (e.g. a RangeError): report it typed.
      throw new KysoError('PDF_INVALID', `Unreadable PDF structure (${e instanceof Error ? e.message : String(e)}).`, undefined, { cause: e });
    }
  }

  private constructor(bytes: Uint8Array, options: OpenOptions) {
    this.bytes = bytes;
    this.wantKey = !!options.allowEncrypted || !!options.decrypt;
    let hdr = indexOfBytes(bytes, PDF_HEADER, 0, Math.min(bytes.length, 1024 + 5));
    if (hdr < 0) hdr = indexOfBytes(bytes, PDF_HEADER, 0);
    const hasHeader = hdr >= 0;
    this.headerOffset = hasHeader ? hdr : 0;
    let version = '1.4';
    if (hasHeader) {
      const m = /^(\d)\.(\d{1,2})/.exec(String.fromCharCode(...bytes.subarray(hdr + 5, Math.min(bytes.length, hdr + 9))));
      if (m) version = `${m[1]}.${m[2]}`;
    }

    // 1. The xref chain as written, under each plausible offset base.
    const sx = findStartxref(bytes);
    let recovered = false;
    let base = 0;
    let sections: XrefSection[] | undefined;
    let chainBroken = false;
    if (sx) {
      const bases = this.headerOffset > 0 ? [this.headerOffset, 0] : [0];
      let bestBad = Infinity;
      for (const b of bases) {
        const r = this.loadChain(sx.value, b);
        if (!r) continue;
        const entries = mergeSections(r.sections);
        const bad = bases.length > 1 ? this.countBadEntries(entries, 64) : 0;
        if (bad < bestBad) {
          bestBad = bad;
          base = b;
          sections = r.sections;
          chainBroken = r.broken;
          this.entries = entries;
        }
        if (bad === 0) break;
      }
    }
    if (!hasHeader && !sections && !sx) {
      // No header, no startxref: only worth scanning if there is at least one object header.
      if (indexOfBytes(bytes, ascii(' obj'), 0) < 0) throw new KysoError('PDF_INVALID', 'No PDF header, xref or objects found.');
    }
    this.offsetBase = sections ? base : this.headerOffset;

    let trailer: PdfDict | undefined;
    let xrefKind: 'table' | 'stream' = 'table';
    if (sections) {
      this.sections = sections;
      xrefKind = sections[0].kind;
      trailer = mergeTrailers(sections);
      const bad = this.repairEntries(chainBroken);
      if (bad || chainBroken) recovered = true;
    }

    // 2. Encryption, then the catalog; rebuild by scanning when the catalog cannot be reached.
    let encryption = trailer ? this.examineEncrypt(trailer) : undefined;
    this.enc = encryption;
    this.acceptEncryption(options);
    let catalog = trailer ? this.catalogOf(trailer) : undefined;
    if (!catalog) {
      const rebuilt = this.rebuild(trailer);
      recovered = true;
      trailer = rebuilt.trailer;
      if (!sections) xrefKind = rebuilt.kind;
      encryption = this.enc;
      this.acceptEncryption(options);
      catalog = this.catalogOf(trailer);
      if (!catalog) {
        if (encryption && !encryption.key) throw new KysoError('PDF_PASSWORD_REQUIRED', 'The catalog is not readable without the password.');
        throw new KysoError('PDF_INVALID', 'No document catalog found.');
      }
    }
    this.catalogDict = catalog;
    this.trailer = trailer!;
    this.xrefKind = xrefKind;
    this.recovered = recovered;
    this.startxref = sections ? sections[0].offset : (sx?.value ?? 0);
    this.startxrefValid = !!sections;

    let size = 0;
    const ts = this.trailer.get('Size');
    if (typeof ts === 'number' && Number.isInteger(ts) && ts > 0 && ts < 1e8) size = ts;
    for (const s of this.sections) size = Math.max(size, s.maxNum);
    for (const n of this.entries.keys()) if (n + 1 > size) size = n + 1;
    this.size = size;

    const cv = catalog.get('Version');
    if (cv instanceof PdfName && compareVersions(cv.name, version) > 0) version = cv.name;
    this.version = version;
  }

  /** Set when the file is encrypted (only possible with allowEncrypted or decrypt): handler, revision, whether the empty user password works. */
  get encryption(): SecurityInfo | undefined {
    return this.enc;
  }

  /** True when the file is encrypted and getObject returns decrypted strings and streams (OpenOptions.decrypt). */
  get decrypting(): boolean {
    return this.decryptOn;
  }

  /** Throws unless the options accept the file's encryption; turns decryption on when asked for. */
  private acceptEncryption(options: OpenOptions): void {
    const enc = this.enc;
    if (!enc) return;
    if (options.decrypt) {
      if (enc.filter !== 'Standard' || !enc.emptyUserPassword) throw encryptionError(enc);
      if (!enc.key) throw new KysoError('PDF_PASSWORD_REQUIRED', `Standard security handler V${enc.v} R${enc.r}: no file key (missing /UE).`, { filter: enc.filter, v: enc.v, r: enc.r });
      if (!this.decryptOn) {
        // Objects read before the key was known (the /Encrypt dictionary and what it refers to) are cached
        // as stored; everything read from now on is decrypted.
        this.decryptOn = true;
        for (const num of [...this.cache.keys()]) if (num !== this.encryptNum) this.cache.delete(num);
        this.objStms.clear();
      }
      return;
    }
    if (!options.allowEncrypted) throw encryptionError(enc);
  }

  // ------------------------------------------------------------------------------------------ xref loading

  /** Follows startxref and /Prev. Returns null when even the newest section cannot be read. */
  private loadChain(start: number, base: number): { sections: XrefSection[]; broken: boolean } | null {
    const sections: XrefSection[] = [];
    const seen = new Set<number>();
    let off: number | undefined = start;
    let broken = false;
    while (off !== undefined) {
      if (seen.has(off) || sections.length >= 4096) {
        broken = true; // /Prev loop
        break;
      }
      seen.add(off);
      let sec: XrefSection;
      try {
        sec = this.readSection(off, base);
      } catch (e) {
        if (!(e instanceof XrefError) && !(e instanceof KysoError)) throw e;
        if (sections.length === 0) return null;
        broken = true;
        break;
      }
      if (sec.kind === 'table') {
        const xs = sec.trailer.get('XRefStm');
        if (typeof xs === 'number' && Number.isInteger(xs) && xs >= 0) {
          try {
            const stm = readXrefStream(this.bytes, base + xs, xs, base);
            if (stm.streamNum !== undefined) sec.hybridStreamNum = stm.streamNum;
            // In a hybrid file the table comes first; the stream fills what the table leaves out or marks free.
            for (const [num, e] of stm.entries) {
              const t = sec.entries.get(num);
              if (!t || t.type === ENTRY_FREE) sec.entries.set(num, e);
            }
            sec.maxNum = Math.max(sec.maxNum, stm.maxNum);
          } catch (e) {
            if (!(e instanceof XrefError) && !(e instanceof KysoError)) throw e;
            broken = true;
          }
        }
      }
      sections.push(sec);
      const prev = sec.trailer.get('Prev');
      off = typeof prev === 'number' && Number.isInteger(prev) && prev >= 0 ? prev : undefined;
    }
    // A /Prev that misses its section by some whitespace is read as qpdf, poppler and pdf.js do (they warn at
    // most); it does not count as damage.
    return { sections, broken };
  }

  private readSection(off: number, base: number): XrefSection {
    let pos = base + off;
    if (pos < 0 || pos >= this.bytes.length) throw new XrefError('offset outside the file');
    // Tolerate an offset that points at whitespace before the section ("startxref off by one"); the section's
    // offset is then where it really starts, which is what a new /Prev must say.
    pos = new Lexer(this.bytes, pos).skipWhite();
    off = pos - base;
    if (isTableAt(this.bytes, pos)) return readTable(this.bytes, pos, off, base);
    return readXrefStream(this.bytes, pos, off, base, (r) => {
      // /Length of an xref stream must be direct; tolerate an indirect one that lies in the file.
      const e = this.entries.get(r.num);
      if (e && e.type === ENTRY_OFFSET) {
        const io = parseIndirectObject(this.bytes, e.a);
        if (io && typeof io.obj === 'number') return io.obj;
      }
      return undefined;
    });
  }

  /** Counts entries that do not point at their object (stops at `limit`). */
  private countBadEntries(entries: Map<number, XrefEntry>, limit: number): number {
    let bad = 0;
    for (const [num, e] of entries) {
      if (e.type !== ENTRY_OFFSET) continue;
      if (headerGenAt(this.bytes, e.a, num) < 0) if (++bad >= limit) break;
    }
    return bad;
  }

  /** Checks every in-file entry; repairs wrong ones from a scan. Returns the number of entries repaired. */
  private repairEntries(chainBroken: boolean): number {
    const badNums: number[] = [];
    // The entry of an xref stream for itself is never used to find it (qpdf writes wrong ones): not checked.
    const xrefStreams = new Set<number>();
    for (const s of this.sections) {
      if (s.streamNum !== undefined) xrefStreams.add(s.streamNum);
      if (s.hybridStreamNum !== undefined) xrefStreams.add(s.hybridStreamNum);
    }
    for (const [num, e] of this.entries) {
      if (e.type !== ENTRY_OFFSET || xrefStreams.has(num)) continue;
      const gen = headerGenAt(this.bytes, e.a, num);
      if (gen < 0) badNums.push(num);
      else if (gen !== e.b) {
        e.b = gen;
        badNums.push(-1); // generation fixed from the object header
      }
    }
    if (badNums.length === 0 && !chainBroken) return 0;
    const scan = scanFile(this.bytes, 0);
    const found = new Map<number, { offset: number; gen: number }>();
    for (const o of scan.objects) found.set(o.num, { offset: o.offset, gen: o.gen });
    for (const num of badNums) {
      if (num < 0) continue;
      const f = found.get(num);
      if (f) this.entries.set(num, { type: ENTRY_OFFSET, a: f.offset, b: f.gen });
      else this.entries.set(num, { type: ENTRY_FREE, a: 0, b: 0 });
    }
    if (chainBroken) {
      // Older sections could not be read: objects only they described are taken from the scan.
      for (const [num, f] of found) if (!this.entries.has(num)) this.entries.set(num, { type: ENTRY_OFFSET, a: f.offset, b: f.gen });
    }
    return badNums.length;
  }

  /** Rebuilds the xref from a scan of the whole file. */
  private rebuild(previous: PdfDict | undefined): { trailer: PdfDict; kind: 'table' | 'stream' } {
    const scan = scanFile(this.bytes, 0);
    if (scan.objects.length === 0) throw new KysoError('PDF_INVALID', 'No objects found.');
    const entries = new Map<number, XrefEntry>();
    const pos = new Map<number, number>();
    for (const o of scan.objects) {
      entries.set(o.num, { type: ENTRY_OFFSET, a: o.offset, b: o.gen });
      pos.set(o.num, o.offset);
    }
    this.entries = entries;
    this.cache.clear();
    this.objStms.clear();
    // Trailer candidates, newest first: "trailer" dictionaries and xref stream dictionaries.
    const cands: { offset: number; dict: PdfDict; kind: 'table' | 'stream' }[] = [];
    for (const t of scan.trailers) cands.push({ offset: t.offset, dict: t.dict, kind: 'table' });
    for (const o of scan.objects) if (o.type === 'XRef' && o.dict) cands.push({ offset: o.offset, dict: o.dict, kind: 'stream' });
    cands.sort((a, b) => b.offset - a.offset);
    if (previous) cands.unshift({ offset: Infinity, dict: previous, kind: 'table' });
    // Encryption first: object streams of an encrypted file can only be read with its key.
    const encCand = cands.find((c) => c.dict.has('Encrypt'));
    this.enc = encCand ? this.examineEncrypt(encCand.dict) : undefined;
    // Objects inside object streams (only streams that are the current version of their number).
    for (const o of scan.objects) {
      if (o.type !== 'ObjStm' || pos.get(o.num) !== o.offset) continue;
      const stm = this.getObjStm(o.num);
      if (!stm) continue;
      stm.pairs.forEach(([num], index) => {
        if (num === o.num) return;
        const p = pos.get(num);
        if (p === undefined || p < o.offset) {
          entries.set(num, { type: ENTRY_COMPRESSED, a: o.num, b: index });
          pos.set(num, o.offset);
        }
      });
    }
    let chosen: PdfDict | undefined;
    let kind: 'table' | 'stream' = cands.length > 0 && cands[0].offset !== Infinity ? cands[0].kind : 'table';
    for (const c of cands) {
      if (this.catalogOf(c.dict)) {
        chosen = c.dict;
        if (c.offset !== Infinity) kind = c.kind;
        break;
      }
    }
    const trailer = new PdfDict();
    if (chosen) {
      for (const [k, v] of chosen.map) if (!SECTION_KEYS.includes(k)) trailer.set(k, v);
    } else {
      // No usable trailer: find the catalog itself (the last one in the file wins).
      for (let i = scan.objects.length - 1; i >= 0; i--) {
        const o = scan.objects[i];
        if (o.type === 'Catalog' && pos.get(o.num) === o.offset) {
          const ref = new PdfRef(o.num, o.gen);
          const d = this.getObject(ref);
          if (d instanceof PdfDict && d.has('Pages')) {
            trailer.set('Root', ref);
            break;
          }
        }
      }
      if (!trailer.has('Root')) throw new KysoError('PDF_INVALID', 'No document catalog found.');
    }
    for (const c of cands) {
      for (const k of ['Info', 'ID', 'Encrypt']) if (!trailer.has(k) && c.dict.has(k)) trailer.set(k, c.dict.get(k)!);
    }
    let maxNum = 0;
    for (const n of entries.keys()) maxNum = Math.max(maxNum, n + 1);
    trailer.set('Size', maxNum);
    this.sections = [];
    return { trailer, kind };
  }

  private catalogOf(trailer: PdfDict): PdfDict | undefined {
    const root = trailer.get('Root');
    const cat = this.resolve(root);
    if (!(cat instanceof PdfDict)) return undefined;
    // A dictionary with a /Pages entry (or typed /Catalog) will do; damaged page trees are handled later.
    if (!cat.has('Pages') && !(cat.get('Type') instanceof PdfName && (cat.get('Type') as PdfName).name === 'Catalog')) return undefined;
    return cat;
  }

  private examineEncrypt(trailer: PdfDict): SecurityInfo | undefined {
    const er = trailer.get('Encrypt');
    if (er instanceof PdfRef) this.encryptNum = er.num;
    const enc = this.resolve(er);
    // pdf.js and poppler ignore an /Encrypt entry that does not lead to a dictionary; so do we.
    if (!(enc instanceof PdfDict)) return undefined;
    const flat = new PdfDict();
    for (const [k, v] of enc.map) {
      const rv = this.resolve(v);
      if (rv instanceof PdfDict && k === 'CF') {
        const cf = new PdfDict();
        for (const [ck, cv] of rv.map) cf.set(ck, this.resolve(cv));
        flat.set(k, cf);
      } else flat.set(k, rv);
    }
    const ids = this.resolve(trailer.get('ID'));
    const id0 = Array.isArray(ids) ? this.resolve(ids[0]) : undefined;
    return examineEncryption(flat, id0 instanceof PdfString ? id0.bytes : undefined, this.wantKey);
  }

  // ------------------------------------------------------------------------------------------ objects

  get catalog(): PdfDict {
    return this.catalogDict!;
  }

  /** The reference of the catalog (trailer /Root). */
  get catalogRef(): PdfRef {
    const r = this.trailer.get('Root');
    if (!(r instanceof PdfRef)) throw new KysoError('PDF_INVALID', 'The trailer /Root is not an indirect reference.');
    return r;
  }

  /** Returns the object, or null when it is free, missing or unreadable. Never throws. */
  getObject(ref: PdfRef): PdfObject {
    const e = this.entries.get(ref.num);
    if (!e || e.type === ENTRY_FREE) return null;
    if (e.type === ENTRY_OFFSET ? e.b !== ref.gen : ref.gen !== 0) return null;
    const c = this.cache.get(ref.num);
    if (c !== undefined) return c;
    if (this.loading.has(ref.num)) return null; // reference cycle while loading (e.g. /Length pointing at itself)
    this.loading.add(ref.num);
    let obj: PdfObject = null;
    try {
      obj = e.type === ENTRY_OFFSET ? this.loadDirect(ref.num, e) : this.loadCompressed(ref.num, e);
    } catch {
      obj = null;
    } finally {
      this.loading.delete(ref.num);
    }
    this.cache.set(ref.num, obj);
    return obj;
  }

  private loadDirect(num: number, e: XrefEntry): PdfObject {
    const io = parseIndirectObject(this.bytes, e.a, {
      resolveLength: (r) => {
        const v = this.getObject(r);
        return typeof v === 'number' ? v : undefined;
      },
    });
    if (!io || io.num !== num) return null;
    if (this.decryptOn && num !== this.encryptNum) return this.decryptObject(io.obj, num, e.b, 0);
    return io.obj;
  }

  /** A copy of `o` (an object of number num/gen, read as stored) with its strings and stream data decrypted. */
  private decryptObject(o: PdfObject, num: number, gen: number, depth: number): PdfObject {
    const enc = this.enc!;
    if (depth > 256) return o;
    if (o instanceof PdfString) return new PdfString(decryptBytes(enc, 'string', num, gen, o.bytes), o.hex);
    if (Array.isArray(o)) return o.map((v) => this.decryptObject(v, num, gen, depth + 1));
    if (o instanceof PdfDict) {
      // The /Contents of a signature dictionary is never encrypted (ISO 32000-2 §7.6.2; what every signed
      // encrypted file in the corpus does, and what poppler and pdf.js read).
      const isSig = o.has('ByteRange');
      const d = new PdfDict();
      for (const [k, v] of o.map) d.set(k, isSig && k === 'Contents' ? v : this.decryptObject(v, num, gen, depth + 1));
      return d;
    }
    if (o instanceof PdfStream) {
      const type = o.dict.get('Type');
      if (type instanceof PdfName && type.name === 'XRef') return o; // cross-reference streams are not encrypted
      const dict = this.decryptObject(o.dict, num, gen, depth + 1) as PdfDict;
      let plain = true;
      if (type instanceof PdfName && type.name === 'Metadata' && !enc.encryptMetadata) plain = false;
      if (streamHasIdentityCrypt(o.dict)) plain = false;
      return new PdfStream(dict, plain ? decryptBytes(enc, 'stream', num, gen, o.raw) : o.raw);
    }
    return o;
  }

  private loadCompressed(num: number, e: XrefEntry): PdfObject {
    const stm = this.getObjStm(e.a);
    if (!stm) return null;
    let pair = stm.pairs[e.b];
    if (!pair || pair[0] !== num) pair = stm.pairs.find((p) => p[0] === num) as [number, number];
    if (!pair) return null;
    const start = stm.first + pair[1];
    if (start < 0 || start >= stm.data.length) return null;
    const v = new Parser(new Lexer(stm.data, start)).parse();
    return v === undefined ? null : v;
  }

  private getObjStm(num: number): ObjStm | null {
    if (this.objStms.has(num)) return this.objStms.get(num)!;
    this.objStms.set(num, null); // guards against an object stream that (indirectly) needs itself
    const e = this.entries.get(num);
    let result: ObjStm | null = null;
    // Object streams must be in the file itself, never inside another object stream.
    if (e && e.type === ENTRY_OFFSET) {
      const s = this.getObject(new PdfRef(num, e.b));
      if (s instanceof PdfStream) result = this.parseObjStm(num, e.b, s);
    }
    this.objStms.set(num, result);
    return result;
  }

  private parseObjStm(num: number, gen: number, s: PdfStream): ObjStm | null {
    const n = this.resolve(s.dict.get('N'));
    const first = this.resolve(s.dict.get('First'));
    if (typeof n !== 'number' || typeof first !== 'number' || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || first < 0) return null;
    let raw = s.raw;
    if (this.encryption && !this.decryptOn) {
      if (!this.encryption.key) return null;
      raw = decryptStreamBytes(this.encryption, num, gen, raw);
    }
    let data: Uint8Array;
    try {
      data = decodeFilters(s.dict, raw, { lenient: true, resolve: (o) => this.resolve(o) }).data;
    } catch {
      return null;
    }
    if (n > data.length) return null;
    const lex = new Lexer(data, 0, Math.min(first, data.length));
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (lex.next() !== TOK_NUM) break;
      const on = lex.num;
      if (lex.next() !== TOK_NUM) break;
      pairs.push([on, lex.num]);
    }
    return { data, first, pairs };
  }

  /** Follows references (bounded depth); undefined and unresolvable references give null. */
  resolve(o: PdfObject | undefined): PdfObject {
    let v: PdfObject | undefined = o;
    for (let i = 0; v instanceof PdfRef; i++) {
      if (i >= MAX_RESOLVE_DEPTH) return null;
      v = this.getObject(v);
    }
    return v === undefined ? null : v;
  }

  /** The dictionary `o` leads to; undefined for anything else (a stream too: use resolveStream). */
  resolveDict(o: PdfObject | undefined): PdfDict | undefined {
    const v = this.resolve(o);
    return v instanceof PdfDict ? v : undefined;
  }

  resolveArray(o: PdfObject | undefined): PdfObject[] | undefined {
    const v = this.resolve(o);
    return Array.isArray(v) ? v : undefined;
  }

  resolveNumber(o: PdfObject | undefined): number | undefined {
    const v = this.resolve(o);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  resolveName(o: PdfObject | undefined): string | undefined {
    const v = this.resolve(o);
    return v instanceof PdfName ? v.name : undefined;
  }

  resolveStream(o: PdfObject | undefined): PdfStream | undefined {
    const v = this.resolve(o);
    return v instanceof PdfStream ? v : undefined;
  }

  /**
   * Decodes a stream through its filters. Image codecs (DCT, JPX, JBIG2, CCITT) are not decoded: the bytes in
   * front of the first of them are returned (see decodeStreamPartial for the filters left). Throws PDF_INVALID
   * on corrupt data or unknown filters. Does not decrypt (see OpenOptions.allowEncrypted).
   */
  decodeStream(s: PdfStream): Uint8Array {
    return this.decodeStreamPartial(s).data;
  }

  decodeStreamPartial(s: PdfStream): DecodeResult {
    try {
      return decodeFilters(s.dict, s.raw, { resolve: (o) => this.resolve(o) });
    } catch (e) {
      if (e instanceof KysoError) throw e;
      throw new KysoError('PDF_INVALID', `Stream does not decode (${e instanceof Error ? e.message : String(e)}).`, undefined, { cause: e });
    }
  }

  /** Live objects of the merged xref (for writers that need a complete cross-reference). */
  liveEntries(): LiveEntry[] {
    const out: LiveEntry[] = [];
    for (const [num, e] of this.entries) {
      if (num === 0) continue;
      if (e.type === ENTRY_OFFSET) out.push({ num, gen: e.b, type: 'offset', offset: e.a - this.offsetBase });
      else if (e.type === ENTRY_COMPRESSED) out.push({ num, gen: 0, type: 'compressed', stream: e.a, index: e.b });
    }
    out.sort((a, b) => a.num - b.num);
    return out;
  }

  /** Generation of the current version of object `num` (0 when absent or compressed). */
  generationOf(num: number): number {
    const e = this.entries.get(num);
    return e && e.type === ENTRY_OFFSET ? e.b : 0;
  }

  // ------------------------------------------------------------------------------------------ pages

  private get pagesRoot(): { ref: PdfRef | undefined; dict: PdfDict } | undefined {
    const p = this.catalog.get('Pages');
    const d = this.resolve(p);
    if (!(d instanceof PdfDict)) return undefined;
    return { ref: p instanceof PdfRef ? p : undefined, dict: d };
  }

  get pageCount(): number {
    if (this.pageCountCache !== undefined) return this.pageCountCache;
    return guard(() => this.computePageCount());
  }

  private computePageCount(): number {
    const root = this.pagesRoot;
    let count = 0;
    if (root) {
      const c = this.resolve(root.dict.get('Count'));
      const kids = this.resolveArray(root.dict.get('Kids'));
      // /Count is trusted when it is plausible and its last page can be reached through /Count values.
      if (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= this.size && (c > 0 || !kids || kids.length === 0)) {
        if (c === 0) count = 0;
        else {
          try {
            this.walkToPage(c - 1);
            count = c;
          } catch (e) {
            if (!(e instanceof PageTreeMiss)) throw e;
            count = this.materialisePages().length;
          }
        }
      } else if (kids) {
        count = this.materialisePages().length;
      }
    }
    this.pageCountCache = count;
    return count;
  }

  getPage(index: number): PdfPage {
    return guard(() => this.pageAt(index));
  }

  private pageAt(index: number): PdfPage {
    const n = this.pageCount;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new KysoError('PDF_PAGE_OUT_OF_RANGE', `Page index ${index} of ${n}.`);
    let leaf: PageLeaf;
    if (this.pageList) leaf = this.pageList[index];
    else {
      try {
        leaf = this.walkToPage(index);
      } catch (e) {
        if (!(e instanceof PageTreeMiss)) throw e;
        const list = this.materialisePages();
        if (index >= list.length) throw new KysoError('PDF_PAGE_OUT_OF_RANGE', `Page index ${index} of ${list.length}.`);
        leaf = list[index];
      }
    }
    return this.makePage(index, leaf);
  }

  private static isPagesNode(d: PdfDict): boolean {
    const t = d.get('Type');
    if (t instanceof PdfName) {
      if (t.name === 'Pages') return true;
      if (t.name === 'Page') return false;
    }
    return Array.isArray(d.get('Kids')) || d.get('Kids') instanceof PdfRef;
  }

  private inherit(inh: Inherited, d: PdfDict): Inherited {
    const r = d.get('Resources');
    const m = d.get('MediaBox');
    const c = d.get('CropBox');
    const ro = d.get('Rotate');
    if (r === undefined && m === undefined && c === undefined && ro === undefined) return inh;
    return {
      resources: r ?? inh.resources,
      mediaBox: m ?? inh.mediaBox,
      cropBox: c ?? inh.cropBox,
      rotate: ro ?? inh.rotate,
    };
  }

  /** Walks down the tree using /Count to skip subtrees. Throws PageTreeMiss when the counts do not add up. */
  private walkToPage(index: number): PageLeaf {
    const root = this.pagesRoot;
    if (!root) throw new PageTreeMiss();
    let node = root.dict;
    let inh = this.inherit({}, node);
    const path = new Set<PdfDict>([node]);
    let remaining = index;
    for (let depth = 0; depth < MAX_TREE_DEPTH; depth++) {
      const kids = this.resolveArray(node.get('Kids'));
      if (!kids) throw new PageTreeMiss();
      const nodeCount = this.resolve(node.get('Count'));
      // Large flat node (as many kids as pages below it): jump straight to the kid if it is a page of this node,
      // instead of parsing every kid before it. Small nodes are walked kid by kid. This can only be fooled by a
      // large node mixing an empty intermediate node with one holding several pages (never seen in practice).
      if (nodeCount === kids.length && kids.length >= FLAT_NODE_SHORTCUT && remaining < kids.length) {
        const k = kids[remaining];
        const kd = this.resolve(k);
        if (k instanceof PdfRef && kd instanceof PdfDict && !PdfReader.isPagesNode(kd)) {
          const parent = kd.get('Parent');
          if (parent === undefined || this.resolve(parent) === node) return { ref: k, dict: kd, inh: this.inherit(inh, kd) };
        }
      }
      let next: PdfDict | undefined;
      for (const k of kids) {
        const kd = this.resolve(k);
        if (!(kd instanceof PdfDict)) continue;
        if (path.has(kd)) throw new KysoError('PDF_INVALID', 'The page tree contains a loop.');
        if (PdfReader.isPagesNode(kd)) {
          const c = this.resolve(kd.get('Count'));
          if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) throw new PageTreeMiss();
          if (remaining < c) {
            next = kd;
            break;
          }
          remaining -= c;
        } else {
          if (remaining === 0) {
            if (!(k instanceof PdfRef)) throw new PageTreeMiss();
            return { ref: k, dict: kd, inh: this.inherit(inh, kd) };
          }
          remaining--;
        }
      }
      if (!next) throw new PageTreeMiss();
      path.add(next);
      inh = this.inherit(inh, next);
      node = next;
    }
    throw new KysoError('PDF_INVALID', 'The page tree is too deep.');
  }

  /** Full traversal, used only when /Count values cannot be trusted. */
  private materialisePages(): PageLeaf[] {
    if (this.pageList) return this.pageList;
    const root = this.pagesRoot;
    const out: PageLeaf[] = [];
    if (root) {
      const budget = { visits: 0, max: 4 * this.size + 1024 };
      const visit = (node: PdfDict, inh: Inherited, path: Set<PdfDict>, depth: number): void => {
        if (depth > MAX_TREE_DEPTH) throw new KysoError('PDF_INVALID', 'The page tree is too deep.');
        const kids = this.resolveArray(node.get('Kids')) ?? [];
        for (const k of kids) {
          if (++budget.visits > budget.max) throw new KysoError('PDF_INVALID', 'The page tree is too large for the file.');
          const kd = this.resolve(k);
          if (!(kd instanceof PdfDict)) continue;
          if (path.has(kd)) throw new KysoError('PDF_INVALID', 'The page tree contains a loop.');
          if (PdfReader.isPagesNode(kd)) {
            path.add(kd);
            visit(kd, this.inherit(inh, kd), path, depth + 1);
            path.delete(kd);
          } else if (k instanceof PdfRef) {
            out.push({ ref: k, dict: kd, inh: this.inherit(inh, kd) });
          }
        }
      };
      visit(root.dict, this.inherit({}, root.dict), new Set([root.dict]), 0);
    }
    this.pageList = out;
    return out;
  }

  private makePage(index: number, leaf: PageLeaf): PdfPage {
    const media = this.rect(leaf.inh.mediaBox) ?? DEFAULT_MEDIABOX;
    let crop = this.rect(leaf.inh.cropBox);
    if (crop) {
      const c: [number, number, number, number] = [Math.max(crop[0], media[0]), Math.max(crop[1], media[1]), Math.min(crop[2], media[2]), Math.min(crop[3], media[3])];
      crop = c[0] < c[2] && c[1] < c[3] ? c : undefined;
    }
    let rot = this.resolve(leaf.inh.rotate);
    let rotate: 0 | 90 | 180 | 270 = 0;
    if (typeof rot === 'number' && Number.isInteger(rot) && rot % 90 === 0) {
      rot = ((rot % 360) + 360) % 360;
      rotate = rot as 0 | 90 | 180 | 270;
    }
    const res = this.resolve(leaf.inh.resources);
    return {
      index,
      ref: leaf.ref,
      dict: leaf.dict,
      mediaBox: media,
      cropBox: crop ?? [media[0], media[1], media[2], media[3]],
      rotate,
      resources: res instanceof PdfDict ? res : undefined,
    };
  }

  private rect(o: PdfObject | undefined): [number, number, number, number] | undefined {
    const a = this.resolveArray(o);
    if (!a || a.length < 4) return undefined;
    const v = a.slice(0, 4).map((x) => this.resolveNumber(x));
    if (v.some((x) => x === undefined)) return undefined;
    const [a0, a1, a2, a3] = v as number[];
    const r: [number, number, number, number] = [Math.min(a0, a2), Math.min(a1, a3), Math.max(a0, a2), Math.max(a1, a3)];
    if (r[0] === r[2] || r[1] === r[3]) return undefined;
    return r;
  }

  // ------------------------------------------------------------------------------------------ revisions

  /**
   * Each revision's end: every "startxref N %%EOF" in the file with N > 0 (a linearized file's first-page
   * "startxref 0" marker is not a revision), oldest first. eofOffset is just after the "%%EOF" and its EOL.
   */
  revisions(): { startxref: number; eofOffset: number }[] {
    return guard(() => this.findRevisions());
  }

  private findRevisions(): { startxref: number; eofOffset: number }[] {
    if (this.revisionList) return this.revisionList.map((r) => ({ ...r }));
    const b = this.bytes;
    const out: { startxref: number; eofOffset: number }[] = [];
    let i = 0;
    for (;;) {
      i = indexOfBytes(b, EOF_MARK, i);
      if (i < 0) break;
      const sx = startxrefBefore(b, i);
      let end = i + EOF_MARK.length;
      if (b[end] === 0x0d) end++;
      if (b[end] === 0x0a) end++;
      if (sx !== undefined && sx > 0) out.push({ startxref: sx, eofOffset: end });
      i += EOF_MARK.length;
    }
    this.revisionList = out;
    return out.map((r) => ({ ...r }));
  }
}

/**
 * Fast check that "num G obj" starts at `pos` (after whitespace): returns G, or -1. Cheaper than a Lexer because
 * it runs for every in-file xref entry when a file is opened.
 */
function headerGenAt(b: Uint8Array, pos: number, num: number): number {
  if (pos < 0 || pos >= b.length) return -1;
  let p = pos;
  while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09 || b[p] === 0x0c || b[p] === 0)) p++;
  let n = 0;
  let d = 0;
  while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39 && d < 12) {
    n = n * 10 + (b[p++] - 0x30);
    d++;
  }
  if (d === 0 || n !== num) return -1;
  const ws = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
  if (p >= b.length || !ws(b[p])) return -1;
  while (p < b.length && ws(b[p])) p++;
  let g = 0;
  d = 0;
  while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39 && d < 6) {
    g = g * 10 + (b[p++] - 0x30);
    d++;
  }
  if (d === 0 || p >= b.length || !ws(b[p])) return -1;
  while (p < b.length && ws(b[p])) p++;
  if (b[p] !== 0x6f || b[p + 1] !== 0x62 || b[p + 2] !== 0x6a) {
    // comments between the tokens and other oddities: ask the tokenizer
    const h = readObjHeader(b, pos);
    return h && h[0] === num ? h[1] : -1;
  }
  const after = b[p + 3];
  return after === undefined || !isRegular(after) ? g : -1;
}

/** Value of the "startxref N" that precedes a %%EOF at `eof` (only whitespace/comments in between). */
function startxrefBefore(b: Uint8Array, eof: number): number | undefined {
  const from = Math.max(0, eof - 64);
  let kw = -1;
  for (let p = eof - 9; p >= from; p--) {
    if (b[p] === 0x73 && String.fromCharCode(...b.subarray(p, p + 9)) === 'startxref') {
      kw = p;
      break;
    }
  }
  if (kw < 0) return undefined;
  const s = String.fromCharCode(...b.subarray(kw + 9, eof));
  const m = /^\s*(\d+)\s*$/.exec(s);
  return m ? parseInt(m[1], 10) : undefined;
}

/** Newest entry wins. Entry objects are shared with the sections (the reader owns both). */
/** Runs `fn`, turning anything but a KysoError (a bug, or input we did not foresee) into PDF_INVALID. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('PDF_INVALID', `Unreadable PDF structure (${e instanceof Error ? e.message : String(e)}).`, undefined, { cause: e });
  }
}

function mergeSections(sections: XrefSection[]): Map<number, XrefEntry> {
  const merged = new Map<number, XrefEntry>(sections[0].entries);
  for (let i = 1; i < sections.length; i++) {
    for (const [num, e] of sections[i].entries) if (!merged.has(num)) merged.set(num, e);
  }
  return merged;
}

function mergeTrailers(sections: XrefSection[]): PdfDict {
  const t = new PdfDict();
  for (const s of sections) {
    for (const [k, v] of s.trailer.map) {
      if (SECTION_KEYS.includes(k) || t.has(k)) continue;
      t.set(k, v);
    }
  }
  return t;
}

function compareVersions(a: string, b: string): number {
  const pa = /^(\d+)\.(\d+)$/.exec(a);
  const pb = /^(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return 0;
  const d = parseInt(pa[1], 10) - parseInt(pb[1], 10);
  return d !== 0 ? d : parseInt(pa[2], 10) - parseInt(pb[2], 10);
}

function encryptionError(info: SecurityInfo): KysoError {
  if (info.filter === 'Standard' && info.emptyUserPassword) {
    return new KysoError('PDF_ENCRYPTED', `Standard security handler V${info.v} R${info.r}, empty user password.`, { filter: info.filter, v: info.v, r: info.r });
  }
  return new KysoError('PDF_PASSWORD_REQUIRED', `Security handler ${info.filter || '(none)'} V${info.v} R${info.r}.`, { filter: info.filter, v: info.v, r: info.r });
}
