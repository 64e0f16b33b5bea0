"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { roleLabels } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import { revokeInvitationAction } from "../actions";

type Pending = { id: string; email: string | null; role: Role; expiresAt: string };

export function PendingInvitations({ workspace, invitations }: { workspace: string; invitations: Pending[] }) {
  const revoke = useFormAction(revokeInvitationAction);
  if (invitations.length === 0) return null;
  return (
    <Card title="Pending invitations" description="Links that have not been used yet. Revoke one to stop it working.">
      {revoke.serverError ? (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600">
          {revoke.serverError.message}
        </p>
      ) : null}
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {invitations.map((i) => (
          <li key={i.id} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
            <div>
              <div className="font-medium">{i.email ?? "Anyone with the link"}</div>
              <div className="text-xs text-zinc-500">
                {roleLabels[i.role]} · expires {new Date(i.expiresAt).toLocaleString()}
              </div>
            </div>
            <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.execute({ workspace, id: i.id })}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
