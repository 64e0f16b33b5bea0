"use client";
// A batch's actions: downloads while or after it runs, cancel while it runs, and retrying its
// failed lines as a new batch once it ended. Errors show beside the buttons.
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/forms/use-form-action";
import { cancelBatchAction, retryFailedAction } from "../actions";

type Props = { workspace: string; id: string; canManage: boolean; running: boolean; failed: number; output: string | null; errors: string | null; joined: string | null };

export function BatchActions({ workspace, id, canManage, running, failed, output, errors, joined }: Props) {
  const router = useRouter();
  const cancel = useFormAction(cancelBatchAction);
  const retry = useFormAction(retryFailedAction, { onSuccess: ({ data }) => data && router.push(`/${workspace}/batches/${data.id}`) });
  const problem = cancel.serverError?.message ?? retry.serverError?.message;
  return (
    <div className="flex flex-wrap items-center gap-3">
      {joined ? (
        <a href={joined} className={buttonClass("primary")} download>
          Download CSV with answers
        </a>
      ) : null}
      {output ? (
        <a href={output} className={buttonClass("secondary")} download>
          Output file
        </a>
      ) : null}
      {errors ? (
        <a href={errors} className={buttonClass("secondary")} download>
          Error file
        </a>
      ) : null}
      {canManage && running ? (
        <ConfirmButton label="Cancel batch" question="Cancel this batch? Requests already answered are kept in its results." disabled={cancel.isPending} onConfirm={() => cancel.execute({ workspace, id })}>
          Cancel batch
        </ConfirmButton>
      ) : null}
      {canManage && !running && failed > 0 ? (
        <Button variant="secondary" disabled={retry.isPending} onClick={() => retry.execute({ workspace, id })}>
          Retry {failed} failed as a new batch
        </Button>
      ) : null}
      {problem ? (
        <p role="alert" className="text-sm text-red-600">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
