import { BadInputError } from '../shared/payload';

/**
 * Splits an MJPEG stream (concatenated JPEG files) into its frames by walking the JPEG markers, so a
 * 0xFFD9 byte pair inside a segment is never mistaken for an end of image. Throws on truncated data.
 */
export function splitMjpeg(data: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    const start = pos;
    if (data[pos] !== 0xff || data[pos + 1] !== 0xd8) throw new BadInputError(`MJPEG: no start-of-image marker at byte ${pos}`);
    pos += 2;
    for (;;) {
      if (pos + 1 >= data.length) throw new BadInputError('MJPEG: truncated frame');
      if (data[pos] !== 0xff) throw new BadInputError(`MJPEG: expected a marker at byte ${pos}`);
      const marker = data[pos + 1];
      if (marker === 0xd9) {
        pos += 2;
        break;
      }
      if (marker === 0xff) {
        pos += 1; // fill byte
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        pos += 2;
        continue;
      }
      const length = (data[pos + 2] << 8) | data[pos + 3];
      pos += 2 + length;
      if (marker === 0xda) {
        // Entropy-coded data follows the scan header: it ends at the first marker that is not a
        // stuffed zero or a restart marker.
        while (
          pos + 1 < data.length &&
          !(data[pos] === 0xff && data[pos + 1] !== 0x00 && !(data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7))
        )
          pos++;
      }
    }
    frames.push(data.subarray(start, pos));
  }
  return frames;
}
