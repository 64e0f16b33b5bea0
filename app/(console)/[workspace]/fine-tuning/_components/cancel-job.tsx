"use client";
// Cancels a job that has not ended, after asking; the error, if any, shows beside the button.
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useFormAction } from "@/components/forms/use-form-action";
import { cancelJobAction } from "../actions";

export function CancelJob({ workspace, id }: { workspace: string; id: string }) {
  const cancel = useFormAction(cancelJobAction);
  return (
    <div className="flex items-center gap-3">
      {cancel.serverError ? (
        <p role="alert" className="text-sm text-red-600">
          {cancel.serverError.message}
        </p>
      ) : null}
      <ConfirmButton label="Cancel job" question="Cancel this fine-tuning job? Its checkpoints so far are kept." disabled={cancel.isPending} onConfirm={() => cancel.execute({ workspace, id })}>
        Cancel job
      </ConfirmButton>
    </div>
  );
}
