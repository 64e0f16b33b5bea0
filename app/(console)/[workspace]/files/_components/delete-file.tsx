"use client";
// Deletes a file after asking; a refusal shows beside the button.
import { Trash2 } from "lucide-react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useFormAction } from "@/components/forms/use-form-action";
import { deleteFileAction } from "../actions";

export function DeleteFile({ workspace, id, name }: { workspace: string; id: string; name: string }) {
  const del = useFormAction(deleteFileAction);
  return (
    <span className="inline-flex items-center gap-2">
      <ConfirmButton label={`Delete ${name}`} variant="ghost" question={`Delete ${name}? Jobs that used it keep their results.`} disabled={del.isPending} onConfirm={() => del.execute({ workspace, id })}>
        <Trash2 className="h-4 w-4" aria-hidden />
      </ConfirmButton>
      {del.serverError ? (
        <span role="alert" className="text-xs text-red-600">
          {del.serverError.message}
        </span>
      ) : null}
    </span>
  );
}
