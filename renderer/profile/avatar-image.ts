// Turns a picture the member chose into an avatar small enough to live in their member record: a
// centred square, drawn at AVATAR_SIDE_PX on a canvas and encoded as WebP (JPEG where the browser
// cannot), as a data: URL under MAX_AVATAR_IMAGE_BYTES. The result is checked with the same rule
// peers apply (avatarImageProblem), so what this device accepts, every member's app accepts.
import { AVATAR_IMAGE_TYPES, MAX_AVATAR_IMAGE_BYTES, avatarImageProblem } from '../../shared/community/member-profile.js';

export const AVATAR_SIDE_PX = 96;
/** Bigger files are refused before decoding: a phone photo is 2–8 MB; decoding more costs memory for nothing. */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const QUALITIES = [0.86, 0.72, 0.58, 0.44];

export type AvatarImageResult = { readonly ok: true; readonly dataUrl: string } | { readonly ok: false; readonly message: string };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function encode(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the encoded picture'));
    reader.readAsDataURL(blob);
  });
}

export async function avatarFromFile(file: File): Promise<AvatarImageResult> {
  // Some systems give no type for a picture; the decoder then decides. SVG is refused outright: it
  // can carry script, and Hearth never shows one from a member.
  if ((file.type && !file.type.startsWith('image/')) || file.type === 'image/svg+xml') {
    return { ok: false, message: `“${file.name}” is not a picture Hearth can use. Choose a PNG, JPEG or WebP image.` };
  }
  if (file.size > MAX_SOURCE_BYTES) {
    return { ok: false, message: `“${file.name}” is ${megabytes(file.size)}; choose a picture under ${megabytes(MAX_SOURCE_BYTES)}.` };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return {
      ok: false,
      message: `Hearth could not read “${file.name}” as a picture. It may be damaged, or in a format this browser cannot open; try a PNG, JPEG or WebP image.`,
    };
  }
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = AVATAR_SIDE_PX;
    canvas.height = AVATAR_SIDE_PX;
    const context = canvas.getContext('2d');
    if (!context || side === 0) return { ok: false, message: 'This browser could not prepare the picture. Try another one.' };
    context.imageSmoothingQuality = 'high';
    for (const type of ['image/webp', 'image/jpeg'] as const) {
      // JPEG has no transparency: a transparent PNG gets a white ground rather than black.
      context.fillStyle = '#ffffff';
      if (type === 'image/jpeg') context.fillRect(0, 0, AVATAR_SIDE_PX, AVATAR_SIDE_PX);
      else context.clearRect(0, 0, AVATAR_SIDE_PX, AVATAR_SIDE_PX);
      context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, AVATAR_SIDE_PX, AVATAR_SIDE_PX);
      for (const quality of QUALITIES) {
        const blob = await encode(canvas, type, quality);
        // A browser without a WebP encoder hands back PNG instead; move on to JPEG.
        if (!blob || blob.type !== type || !(AVATAR_IMAGE_TYPES as readonly string[]).includes(blob.type)) break;
        if (blob.size > MAX_AVATAR_IMAGE_BYTES) continue;
        const dataUrl = await dataUrlOf(blob);
        if (avatarImageProblem(dataUrl) === null) return { ok: true, dataUrl };
      }
    }
    return {
      ok: false,
      message: `“${file.name}” could not be made small enough for an avatar (${MAX_AVATAR_IMAGE_BYTES / 1024} KB). Try a simpler picture.`,
    };
  } finally {
    bitmap.close();
  }
}
