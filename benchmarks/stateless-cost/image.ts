/** RGBA image operations of the ServerlessBench image pipeline. */

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface CropRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Copies a rectangle out of an image; throws RangeError when it does not fit. */
export function crop(img: RgbaImage, r: CropRect): RgbaImage {
  if (r.left < 0 || r.top < 0 || r.width < 1 || r.height < 1 || r.left + r.width > img.width || r.top + r.height > img.height) {
    throw new RangeError(`crop ${r.width}x${r.height}+${r.left}+${r.top} outside a ${img.width}x${img.height} image`);
  }
  const out = new Uint8Array(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    const src = ((r.top + y) * img.width + r.left) * 4;
    out.set(img.data.subarray(src, src + r.width * 4), y * r.width * 4);
  }
  return { width: r.width, height: r.height, data: out };
}

/** Source coordinate of destination pixel `d` when resizing `srcSize` → `dstSize` (pixel centres aligned). */
export function sourceCoord(d: number, srcSize: number, dstSize: number): number {
  return Math.min(srcSize - 1, Math.max(0, ((d + 0.5) * srcSize) / dstSize - 0.5));
}

/** Resizes with bilinear interpolation. */
export function resizeBilinear(img: RgbaImage, width: number, height: number): RgbaImage {
  const out = new Uint8Array(width * height * 4);
  const src = img.data;
  const sw = img.width;
  for (let y = 0; y < height; y++) {
    const sy = sourceCoord(y, img.height, height);
    const y0 = Math.floor(sy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = sourceCoord(x, sw, width);
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const fx = sx - x0;
      const a = (y0 * sw + x0) * 4;
      const b = (y0 * sw + x1) * 4;
      const c = (y1 * sw + x0) * 4;
      const d = (y1 * sw + x1) * 4;
      const o = (y * width + x) * 4;
      for (let ch = 0; ch < 4; ch++) {
        const top = src[a + ch] + (src[b + ch] - src[a + ch]) * fx;
        const bottom = src[c + ch] + (src[d + ch] - src[c + ch]) * fx;
        out[o + ch] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return { width, height, data: out };
}
