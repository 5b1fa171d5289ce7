/**
 * The synthetic photo: smooth analytic colour fields, so the check can compute what any output pixel
 * should be without running the pipeline itself. Values are 0–255 per channel at real coordinates.
 */
export interface PhotoParams {
  width: number;
  height: number;
  /** Phase and frequency variations from the seed. */
  phase: number;
  fx: number;
  fy: number;
}

/** RGB of the photo at (x, y) in pixel coordinates. */
export function photoAt(p: PhotoParams, x: number, y: number): [number, number, number] {
  const u = x / p.width;
  const v = y / p.height;
  return [
    128 + 100 * Math.sin(2 * Math.PI * p.fx * u + p.phase),
    128 + 100 * Math.cos(2 * Math.PI * p.fy * v - p.phase),
    40 + 170 * (0.5 * u + 0.5 * v),
  ];
}

/** Renders the photo as RGBA bytes. */
export function renderPhoto(p: PhotoParams): Uint8Array {
  const out = new Uint8Array(p.width * p.height * 4);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const [r, g, b] = photoAt(p, x, y);
      const o = (y * p.width + x) * 4;
      out[o] = Math.round(r);
      out[o + 1] = Math.round(g);
      out[o + 2] = Math.round(b);
      out[o + 3] = 255;
    }
  }
  return out;
}
