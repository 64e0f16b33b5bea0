"use client";
// Keeping a good conversation: add it as one line to a named fine-tuning dataset of this
// workspace (the fine-tuning wizard can pick it), or download it as a JSONL line.
import { Download, ListPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { useFormAction } from "@/components/forms/use-form-action";
import { addToDatasetAction } from "../actions";

export function DatasetPanel({ workspace, messages }: { workspace: string; messages: Record<string, unknown>[] }) {
  const [name, setName] = useState("playground");
  const add = useFormAction(addToDatasetAction);
  const done = add.result.data;
  const ready = messages.some((m) => m.role === "assistant");
  function download() {
    const blob = new Blob([JSON.stringify({ messages }) + "\n"], { type: "application/jsonl" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "conversation.jsonl";
    a.click();
    URL.revokeObjectURL(a.href);
  }
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="dataset-panel">
      <Field id="dataset-name" label="Dataset" error={add.fieldError("dataset") ?? add.fieldError("messages") ?? add.formError} hint={done ? undefined : "Add this conversation as a training example."}>
        <TextInput id="dataset-name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      {done && !add.isPending ? (
        <p role="status" className="text-xs text-emerald-600">
          Added: {done.filename} has {done.lines} line{done.lines === 1 ? "" : "s"}.
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button variant="secondary" className="flex-1" disabled={!ready || add.isPending} onClick={() => add.execute({ workspace, dataset: name, messages })}>
          <ListPlus aria-hidden className="h-4 w-4" /> Add to dataset
        </Button>
        <Button variant="ghost" disabled={!ready} onClick={download} aria-label="Download as JSONL">
          <Download aria-hidden className="h-4 w-4" />
        </Button>
      </div>
    </div>
  );
}
