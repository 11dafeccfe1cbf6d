// Image XObjects for decoded PNGs (ISO 32000-2 §8.9.5): DeviceRGB or DeviceGray at 8 bits, Flate-compressed,
// with the alpha plane as a DeviceGray soft mask (/SMask, §11.6.5.3) when the image has transparency.

import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfStream } from '../objects.ts';
import type { ObjectSink } from '../font/type0.ts';
import type { DecodedPng } from './png.ts';

export type { ObjectSink };

export interface EmbeddedImage {
  ref: PdfRef;
  width: number;
  height: number;
}

const n = PdfName.of;

/** Flate level for image data (fflate's default; 4 to 9 give the same size on signature scans at the same speed). */
const IMAGE_DEFLATE_LEVEL = 6;

/**
 * Adds the image (and its soft mask) to the sink; draw it with `q w 0 0 h x y cm /Im Do Q`.
 * Colour under fully transparent pixels is written as white (see whiteUnderClear).
 */
export function embedPngImage(sink: ObjectSink, png: DecodedPng): EmbeddedImage {
  const { width, height, channels } = png;
  if (png.pixels.length !== width * height * channels) throw new RangeError('embedPngImage: pixel buffer does not match the image size');
  const ref = sink.alloc();
  const dict = new PdfDict({
    Type: n('XObject'),
    Subtype: n('Image'),
    Width: width,
    Height: height,
    ColorSpace: n(channels === 3 ? 'DeviceRGB' : 'DeviceGray'),
    BitsPerComponent: 8,
  });
  if (png.alpha) {
    if (png.alpha.length !== width * height) throw new RangeError('embedPngImage: alpha buffer does not match the image size');
    const maskRef = sink.alloc();
    sink.put(
      maskRef,
      flateStream(
        new PdfDict({ Type: n('XObject'), Subtype: n('Image'), Width: width, Height: height, ColorSpace: n('DeviceGray'), BitsPerComponent: 8 }),
        png.alpha,
      ),
    );
    dict.set('SMask', maskRef);
  }
  sink.put(ref, flateStream(dict, png.alpha ? whiteUnderClear(png.pixels, png.alpha, channels) : png.pixels));
  return { ref, width, height };
}

function flateStream(dict: PdfDict, data: Uint8Array): PdfStream {
  const raw = zlibSync(data, { level: IMAGE_DEFLATE_LEVEL });
  dict.set('Filter', n('FlateDecode'));
  dict.set('Length', raw.length);
  return new PdfStream(dict, raw);
}

/**
 * A copy of the colour samples with fully transparent pixels set to white: invisible through the soft mask, it
 * compresses better than whatever colour the editor left there, and a viewer that ignores /SMask shows white paper.
 */
function whiteUnderClear(pixels: Uint8Array, alpha: Uint8Array, channels: 1 | 3): Uint8Array {
  const out = pixels.slice();
  if (channels === 1) {
    for (let i = 0; i < alpha.length; i++) if (alpha[i] === 0) out[i] = 255;
  } else {
    for (let i = 0, o = 0; i < alpha.length; i++, o += 3) {
      if (alpha[i] === 0) {
        out[o] = 255;
        out[o + 1] = 255;
        out[o + 2] = 255;
      }
    }
  }
  return out;
}
