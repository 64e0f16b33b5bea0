"use client";
// Images for the next message: from a file, a paste or a URL, shown as thumbnails.
import { ImagePlus, Link2, X } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { imageProblem, maxImages, readAsDataUrl, urlProblem } from "@/lib/playground/images";

type Props = { images: string[]; onChange: (images: string[]) => void; error?: string; onError: (message: string | undefined) => void };

/** Reads files (picked or pasted) into data URLs after checking them; reports the first problem. */
export async function addFiles(files: File[], images: string[], onChange: Props["onChange"], onError: Props["onError"]) {
  const problem = files.map(imageProblem).find(Boolean) ?? (images.length + files.length > maxImages ? `At most ${maxImages} images a message.` : undefined);
  if (problem) return onError(problem);
  onError(undefined);
  onChange([...images, ...(await Promise.all(files.map(readAsDataUrl)))]);
}

export function Attachments({ images, onChange, error, onError }: Props) {
  const inputId = useId();
  const [urlOpen, setUrlOpen] = useState(false);
  const [url, setUrl] = useState("");
  return (
    <div className="mb-2 space-y-2">
      {images.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Attached images">
          {images.map((src, i) => (
            <li key={i} className="relative">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={src} alt={`Attachment ${i + 1}`} className="h-16 w-16 rounded border border-zinc-200 object-cover dark:border-zinc-700" />
              <button type="button" aria-label={`Remove attachment ${i + 1}`} onClick={() => onChange(images.filter((_, j) => j !== i))} className="absolute -right-1.5 -top-1.5 rounded-full bg-zinc-900 p-0.5 text-white">
                <X aria-hidden className="h-3 w-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={inputId} className="inline-flex cursor-pointer items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100 focus-within:outline-2 focus-within:outline-brand-500 dark:text-zinc-400 dark:hover:bg-zinc-800">
          <ImagePlus aria-hidden className="h-4 w-4" /> Attach image
          <input
            id={inputId}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            multiple
            className="sr-only"
            data-testid="attach-input"
            onChange={(e) => {
              void addFiles([...(e.target.files ?? [])], images, onChange, onError);
              e.target.value = "";
            }}
          />
        </label>
        <Button variant="ghost" className="!px-2 !py-1 text-xs" aria-expanded={urlOpen} onClick={() => setUrlOpen(!urlOpen)}>
          <Link2 aria-hidden className="h-4 w-4" /> Image URL
        </Button>
        {urlOpen ? (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const problem = urlProblem(url.trim());
              if (problem) return onError(problem);
              onError(undefined);
              onChange([...images, url.trim()]);
              setUrl("");
              setUrlOpen(false);
            }}
          >
            <input aria-label="Image URL" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/photo.jpg" className="w-64 rounded border border-zinc-300 px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900" />
            <Button type="submit" variant="secondary" className="!px-2 !py-1 text-xs">
              Add
            </Button>
          </form>
        ) : null}
        {error ? (
          <span role="alert" className="text-xs text-red-600" data-testid="attach-error">
            {error}
          </span>
        ) : null}
      </div>
    </div>
  );
}
