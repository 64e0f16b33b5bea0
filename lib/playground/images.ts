// Images attached in the playground: checked before anything is sent (format and size, as
// La Plateforme limits them), then sent as data URLs in image_url chunks.
export const acceptedImageTypes = ["image/png", "image/jpeg", "image/webp", "image/gif"];
export const maxImageBytes = 10 * 1024 * 1024;
export const maxImages = 8;

export function imageProblem(file: { type: string; size: number; name: string }): string | undefined {
  if (!acceptedImageTypes.includes(file.type)) return `${file.name}: use PNG, JPEG, WebP or GIF.`;
  if (file.size > maxImageBytes) return `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB.`;
  return undefined;
}

export function urlProblem(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return "Use an http(s) URL.";
    return undefined;
  } catch {
    return "That is not a URL.";
  }
}

export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("Could not read the file."));
    reader.readAsDataURL(file);
  });
}
