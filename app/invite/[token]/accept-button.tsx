"use client";
import { useRouter } from "next/navigation";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { acceptInvitationAction } from "./actions";

export function AcceptButton({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const action = useFormAction(acceptInvitationAction, { onSuccess: ({ data }) => data && router.push(`/${data.workspaceSlug}/playground`) });
  return (
    <div className="space-y-3">
      <Button onClick={() => action.execute({ token })} disabled={action.isPending} className="w-full">
        {action.isPending ? "Joining…" : `Accept as ${email}`}
      </Button>
      {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
    </div>
  );
}
