import { describe, expect, it } from 'vitest';
import { unzlibSync, zlibSync } from 'fflate';
import { decodePng, isMostlyTransparentBackground, pngInfo, type DecodedPng } from '../../shared/pdf/image/png.ts';
import { embedPngImage } from '../../shared/pdf/image/embed.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { PdfDict, PdfStream } from '../../shared/pdf/objects.ts';
import { chunk, concat, crc32, encodePng, MemorySink, PNG_SIGNATURE, rng, type PngSource } from './helpers.ts';

const SPP: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, (1 | 2 | 4 | 8 | 16)[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** What the decoder must produce for a source, computed straight from the definition. */
function expected(src: PngSource): { channels: number; pixels: Uint8Array; alpha: Uint8Array } {
  const { width, height, colorType: ct, bitDepth: bd, samples } = src;
  const spp = SPP[ct];
  const channels = ct === 0 || ct === 4 ? 1 : 3;
  const pixels = new Uint8Array(width * height * channels);
  const alpha = new Uint8Array(width * height).fill(255);
  const to8 = (v: number) => (bd === 16 ? v >> 8 : bd === 8 ? v : Math.round((v * 255) / ((1 << bd) - 1)));
  const t = src.trns;
  for (let i = 0; i < width * height; i++) {
    const s = samples.slice(i * spp, i * spp + spp);
    if (ct === 0) {
      pixels[i] = to8(s[0]);
      if (t && s[0] === ((t[0] << 8) | t[1])) alpha[i] = 0;
    } else if (ct === 2) {
      for (let c = 0; c < 3; c++) pixels[3 * i + c] = to8(s[c]);
      if (t && s[0] === ((t[0] << 8) | t[1]) && s[1] === ((t[2] << 8) | t[3]) && s[2] === ((t[4] << 8) | t[5])) alpha[i] = 0;
    } else if (ct === 3) {
      const e = src.palette![s[0]];
      pixels.set(e, 3 * i);
      if (t && s[0] < t.length) alpha[i] = t[s[0]];
    } else if (ct === 4) {
      pixels[i] = to8(s[0]);
      alpha[i] = to8(s[1]);
    } else {
      for (let c = 0; c < 3; c++) pixels[3 * i + c] = to8(s[c]);
      alpha[i] = to8(s[3]);
    }
  }
  return { channels, pixels, alpha };
}

function randomSource(r: () => number, ct: 0 | 2 | 3 | 4 | 6, bd: 1 | 2 | 4 | 8 | 16, w: number, h: number, interlace: boolean): PngSource {
  const spp = SPP[ct];
  const max = ct === 3 ? Math.min(1 << bd, 7) - 1 : (1 << bd) - 1;
  const samples: number[] = [];
  for (let i = 0; i < w * h * spp; i++) {
    // Mix smooth ramps and noise so that every filter has something to predict.
    samples.push(r() < 0.5 ? Math.floor(r() * (max + 1)) : Math.floor(((i % (w * spp)) / (w * spp)) * (max + 1)) % (max + 1));
  }
  const src: PngSource = { width: w, height: h, colorType: ct, bitDepth: bd, samples, interlace };
  if (ct === 3) {
    src.palette = Array.from({ length: max + 1 }, (_, i) => [(i * 37) & 255, (i * 91 + 13) & 255, (i * 151 + 7) & 255] as [number, number, number]);
    src.trns = new Uint8Array([0, 128, 255].slice(0, max + 1));
  }
  return src;
}

function expectInvalid(bytes: Uint8Array): void {
  let error: unknown;
  try {
    decodePng(bytes);
  } catch (e) {
    error = e;
  }
  expect(isKysoError(error, 'IMAGE_INVALID'), String(error)).toBe(true);
}

describe('decodePng: every colour type, bit depth and interlacing', () => {
  const r = rng(1234);
  const sizes: [number, number][] = [
    [1, 1],
    [3, 5],
    [17, 9],
    [33, 33],
  ];
  for (const ct of [0, 2, 3, 4, 6] as const) {
    for (const bd of DEPTHS[ct]) {
      for (const interlace of [false, true]) {
        it(`colour type ${ct}, ${bd} bit${interlace ? ', Adam7' : ''}`, () => {
          for (const [w, h] of sizes) {
            const src = randomSource(r, ct, bd, w, h, interlace);
            const png = encodePng(src);
            const got = decodePng(png);
            const want = expected(src);
            expect(got.width).toBe(w);
            expect(got.height).toBe(h);
            expect(got.bitsPerComponent).toBe(8);
            expect(got.channels).toBe(want.channels);
            expect(Buffer.from(got.pixels).equals(Buffer.from(want.pixels))).toBe(true);
            const anyTransparent = want.alpha.some((a) => a !== 255);
            expect(got.hasTransparency).toBe(anyTransparent);
            if (anyTransparent) expect(Buffer.from(got.alpha!).equals(Buffer.from(want.alpha))).toBe(true);
            else expect(got.alpha).toBeUndefined();
          }
        });
      }
    }
  }

  it('applies tRNS key colours for gray (all depths) and RGB (8 and 16 bit)', () => {
    const g1: PngSource = { width: 9, height: 2, colorType: 0, bitDepth: 1, samples: [0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1], trns: new Uint8Array([0, 1]) };
    const d1 = decodePng(encodePng(g1));
    expect(Array.from(d1.pixels)).toEqual(g1.samples.map((v) => v * 255));
    expect(Array.from(d1.alpha!)).toEqual(g1.samples.map((v) => (v === 1 ? 0 : 255)));

    const g16: PngSource = { width: 3, height: 1, colorType: 0, bitDepth: 16, samples: [0x1234, 0x1235, 0xffff], trns: new Uint8Array([0x12, 0x35]) };
    const d16 = decodePng(encodePng(g16));
    expect(Array.from(d16.pixels)).toEqual([0x12, 0x12, 0xff]);
    expect(Array.from(d16.alpha!)).toEqual([255, 0, 255]); // the full 16-bit value is compared, not the reduced one

    const rgb: PngSource = { width: 2, height: 2, colorType: 2, bitDepth: 8, samples: [255, 255, 255, 10, 20, 30, 255, 255, 255, 255, 255, 254], trns: new Uint8Array([0, 255, 0, 255, 0, 255]) };
    const drgb = decodePng(encodePng(rgb));
    expect(Array.from(drgb.alpha!)).toEqual([0, 255, 0, 255]);
    expect(Array.from(drgb.pixels)).toEqual(rgb.samples);

    // A key colour that no pixel has: no transparency at all.
    const none = decodePng(encodePng({ ...rgb, trns: new Uint8Array([0, 1, 0, 2, 0, 3]) }));
    expect(none.hasTransparency).toBe(false);
    expect(none.alpha).toBeUndefined();
  });

  it('drops an alpha channel that is opaque everywhere', () => {
    const src: PngSource = { width: 2, height: 1, colorType: 6, bitDepth: 8, samples: [1, 2, 3, 255, 4, 5, 6, 255] };
    const d = decodePng(encodePng(src));
    expect(d.hasTransparency).toBe(false);
    expect(d.alpha).toBeUndefined();
    expect(Array.from(d.pixels)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('joins image data split over many IDAT chunks and skips ancillary chunks', () => {
    const src = randomSource(rng(7), 6, 8, 40, 30, true);
    src.idatSize = 7;
    src.extraChunks = [chunk('tEXt', new TextEncoder().encode('Comment\0chu ky')), chunk('gAMA', new Uint8Array([0, 0, 0xb1, 0x8f]))];
    const d = decodePng(encodePng(src));
    expect(Buffer.from(d.pixels).equals(Buffer.from(expected(src).pixels))).toBe(true);
  });

  for (const filter of [0, 1, 2, 3, 4]) {
    it(`filter type ${filter} on every row`, () => {
      const src = { ...randomSource(rng(filter + 100), 2, 8, 25, 12, false), filter };
      expect(Buffer.from(decodePng(encodePng(src)).pixels).equals(Buffer.from(expected(src).pixels))).toBe(true);
    });
  }
});

describe('decodePng: bad input is IMAGE_INVALID', () => {
  const good = encodePng(randomSource(rng(99), 6, 8, 20, 20, false));

  it('rejects non-PNG data', () => {
    expectInvalid(new Uint8Array(0));
    expectInvalid(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    expectInvalid(new TextEncoder().encode('%PDF-1.7\n'));
    expectInvalid(PNG_SIGNATURE);
  });

  it('rejects every truncation', () => {
    for (let n = 0; n < good.length; n++) expectInvalid(good.subarray(0, n));
  });

  it('checks CRCs', () => {
    const bad = good.slice();
    bad[bad.length - 20] ^= 0x40; // inside the last IDAT
    expectInvalid(bad);
  });

  function ihdr(w: number, h: number, bd: number, ct: number, interlace = 0): Uint8Array {
    const d = new Uint8Array(13);
    const v = new DataView(d.buffer);
    v.setUint32(0, w);
    v.setUint32(4, h);
    d[8] = bd;
    d[9] = ct;
    d[12] = interlace;
    return chunk('IHDR', d);
  }

  it('enforces the size limits before inflating', () => {
    const tiny = chunk('IDAT', zlibSync(new Uint8Array(10)));
    const end = chunk('IEND', new Uint8Array(0));
    expectInvalid(concat([PNG_SIGNATURE, ihdr(8001, 10, 8, 6), tiny, end]));
    expectInvalid(concat([PNG_SIGNATURE, ihdr(10, 8001, 8, 0), tiny, end]));
    expectInvalid(concat([PNG_SIGNATURE, ihdr(0, 10, 8, 0), tiny, end]));
    // 8000 × 8000 RGBA at 16 bits: 512 MB of samples.
    const t = performance.now();
    expectInvalid(concat([PNG_SIGNATURE, ihdr(8000, 8000, 16, 6), tiny, end]));
    // pngInfo reads the header only and reports the same limit.
    expect(() => pngInfo(concat([PNG_SIGNATURE, ihdr(9000, 10, 8, 6), tiny, end]))).toThrow(/limit/);
  });

  it('rejects bad headers, missing palettes, unknown critical chunks and filter types', () => {
    const data = chunk('IDAT', zlibSync(new Uint8Array([0, 1, 2, 3])));
    const end = chunk('IEND', new Uint8Array(0));
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 3, 0), data, end])); // bit depth 3
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 4, 2), data, end])); // RGB at 4 bits
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 5), data, end])); // colour type 5
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 3), data, end])); // palette without PLTE
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0, 2), data, end])); // interlace method 2
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 2), chunk('CgBI', new Uint8Array(4)), data, end]));
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0), chunk('IDAT', zlibSync(new Uint8Array([5, 9]))), end])); // filter 5
    expectInvalid(concat([PNG_SIGNATURE, ihdr(2, 2, 8, 0), chunk('IDAT', zlibSync(new Uint8Array([0, 1, 2]))), end])); // too little data
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0), chunk('IDAT', new Uint8Array([1, 2, 3, 4])), end])); // not zlib
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0), end])); // no IDAT
    expectInvalid(concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0), data])); // no IEND
  });

  it('survives fuzzing: a valid decode or IMAGE_INVALID, nothing else', () => {
    const seeds = [
      encodePng(randomSource(rng(5), 6, 8, 24, 16, false)),
      encodePng(randomSource(rng(6), 3, 4, 19, 11, true)),
      encodePng(randomSource(rng(8), 0, 16, 9, 9, true)),
    ];
    const r = rng(2024);
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 600; i++) {
      const base = seeds[i % seeds.length];
      let b: Uint8Array = base.slice();
      const kind = i % 4;
      const count = 1 + Math.floor(r() * 4);
      for (let k = 0; k < count; k++) {
        const at = Math.floor(r() * b.length);
        if (kind === 0 || kind === 3) b[at] = Math.floor(r() * 256);
        else if (kind === 1) b = concat([b.subarray(0, at), new Uint8Array([Math.floor(r() * 256)]), b.subarray(at)]);
        else b = concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(r() * 8)))]);
      }
      // Half the time fix every CRC up, so that the mutation reaches the header checks, inflate and unfiltering.
      if (i % 2 === 0) fixCrcs(b);
      try {
        const d = decodePng(b);
        expect(d.pixels.length).toBe(d.width * d.height * d.channels);
        decoded++;
      } catch (e) {
        expect(isKysoError(e, 'IMAGE_INVALID'), `mutation ${i}: ${String(e)}`).toBe(true);
        rejected++;
      }
    }
    expect(decoded + rejected).toBe(600);
    expect(rejected).toBeGreaterThan(0);
  });
});

/** Recomputes the CRC of every whole chunk it can walk to (leaves the rest alone). */
function fixCrcs(b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 8; p + 12 <= b.length; ) {
    const len = dv.getUint32(p);
    if (p + 12 + len > b.length) break;
    dv.setUint32(p + 8 + len, crc32(b.subarray(p + 4, p + 8 + len)));
    p += 12 + len;
  }
}

describe('pngInfo', () => {
  it('reads the header and tells whether the file can be transparent', () => {
    const rgba = encodePng(randomSource(rng(3), 6, 8, 12, 7, true));
    expect(pngInfo(rgba)).toEqual({ width: 12, height: 7, bitDepth: 8, colorType: 6, interlaced: true, canHaveAlpha: true });
    const rgb = encodePng(randomSource(rng(3), 2, 16, 5, 4, false));
    expect(pngInfo(rgb)).toMatchObject({ width: 5, height: 4, bitDepth: 16, colorType: 2, canHaveAlpha: false });
    const pal = encodePng(randomSource(rng(3), 3, 2, 5, 4, false));
    expect(pngInfo(pal)).toMatchObject({ colorType: 3, canHaveAlpha: true });
    const grayKey = encodePng({ width: 1, height: 1, colorType: 0, bitDepth: 8, samples: [3], trns: new Uint8Array([0, 3]) });
    expect(pngInfo(grayKey).canHaveAlpha).toBe(true);
    expect(() => pngInfo(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID' }));
  });
});

/** An RGBA signature-like image: transparent background, a dark blue stroke through the middle. */
function signatureLike(w: number, h: number, opaqueBackground = false): PngSource {
  const samples: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const onStroke = Math.abs(y - h / 2 - (h / 4) * Math.sin((x / w) * 6.28)) < 3 + (x % 7 === 0 ? 1 : 0);
      if (onStroke) samples.push(20, 40, 140, 255);
      else if (opaqueBackground) samples.push(255, 255, 255, 255);
      else samples.push(0, 0, 0, 0);
    }
  }
  return { width: w, height: h, colorType: 6, bitDepth: 8, samples, filter: 4 };
}

describe('isMostlyTransparentBackground', () => {
  it('tells a transparent signature from one on white', () => {
    expect(isMostlyTransparentBackground(decodePng(encodePng(signatureLike(60, 30))))).toBe(true);
    expect(isMostlyTransparentBackground(decodePng(encodePng(signatureLike(60, 30, true))))).toBe(false);
    const rgb = decodePng(encodePng(randomSource(rng(1), 2, 8, 10, 10, false)));
    expect(isMostlyTransparentBackground(rgb)).toBe(false);
    const one = decodePng(encodePng({ width: 1, height: 1, colorType: 4, bitDepth: 8, samples: [0, 0] }));
    expect(isMostlyTransparentBackground(one)).toBe(true);
  });
});

describe('embedPngImage', () => {
  it('writes an image XObject with a soft mask, both Flate-compressed, white under clear pixels', () => {
    const png = decodePng(encodePng(signatureLike(50, 20)));
    const sink = new MemorySink();
    const { ref, width, height } = embedPngImage(sink, png);
    expect([width, height]).toEqual([50, 20]);
    const img = sink.get(ref) as PdfStream;
    expect(img.dict.nameOf('Subtype')).toBe('Image');
    expect(img.dict.nameOf('ColorSpace')).toBe('DeviceRGB');
    expect(img.dict.get('BitsPerComponent')).toBe(8);
    expect(img.dict.nameOf('Filter')).toBe('FlateDecode');
    const colour = unzlibSync(img.raw);
    for (let i = 0; i < png.alpha!.length; i++) {
      const want = png.alpha![i] === 0 ? [255, 255, 255] : Array.from(png.pixels.subarray(3 * i, 3 * i + 3));
      if (Array.from(colour.subarray(3 * i, 3 * i + 3)).join() !== want.join()) throw new Error(`pixel ${i}`);
    }
    const mask = sink.get(img.dict.get('SMask') as never) as PdfStream;
    expect(mask.dict.nameOf('ColorSpace')).toBe('DeviceGray');
    expect(mask.dict.get('Width')).toBe(50);
    expect(Buffer.from(unzlibSync(mask.raw)).equals(Buffer.from(png.alpha!))).toBe(true);
  });

  it('writes gray images without a mask when opaque', () => {
    const png = decodePng(encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 8, samples: [0, 255] }));
    const sink = new MemorySink();
    const img = sink.get(embedPngImage(sink, png).ref) as PdfStream;
    expect(img.dict).toBeInstanceOf(PdfDict);
    expect(img.dict.nameOf('ColorSpace')).toBe('DeviceGray');
    expect(img.dict.has('SMask')).toBe(false);
  });

  for (const [w, h] of [
    [780, 424],
    [1229, 1221],
  ]) {
    it(`decodes and embeds a ${w}×${h} RGBA signature`, () => {
      const bytes = encodePng(signatureLike(w, h));
      let png: DecodedPng | undefined;
      const t0 = performance.now();
      png = decodePng(bytes);
      const t1 = performance.now();
      const sink = new MemorySink();
      embedPngImage(sink, png);
      const t2 = performance.now();
      console.log(`${w}×${h} RGBA: PNG ${bytes.length} B, decode ${(t1 - t0).toFixed(1)} ms, embed ${(t2 - t1).toFixed(1)} ms`);
      expect(png.hasTransparency).toBe(true);
    });
  }
});
