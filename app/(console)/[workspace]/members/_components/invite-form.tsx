"use client";
import { Link2 } from "lucide-react";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { roleDescriptions, roleLabels } from "@/lib/auth/permissions";
import { roles } from "@/lib/auth/roles";
import { inviteMemberAction } from "../actions";

export function InviteForm({ workspace, canInviteOwners }: { workspace: string; canInviteOwners: boolean }) {
  const action = useFormAction(inviteMemberAction);
  const link = action.result.data?.link;

  return (
    <Card title="Invite someone" description="Creates a link that works once. Send it to the person; they sign in or create an account to join.">
      <form
        className="space-y-4 p-5"
        noValidate
        onSubmit={submitting((form) => {
          action.execute({ workspace, email: String(form.get("invite-email") ?? ""), role: form.get("invite-role") as "viewer", expiresInHours: Number(form.get("invite-expires")) });
        })}
      >
        <Field id="invite-email" label="Email (optional)" error={action.fieldError("email")} hint="When given, only this address can accept.">
          <TextInput id="invite-email" type="email" placeholder="person@company.com" error={action.fieldError("email")} />
        </Field>
        <Field id="invite-role" label="Role" error={action.fieldError("role")}>
          <Select id="invite-role" defaultValue="developer" error={action.fieldError("role")}>
            {roles
              .filter((r) => canInviteOwners || r !== "owner")
              .map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]} — {roleDescriptions[r]}
                </option>
              ))}
          </Select>
        </Field>
        <Field id="invite-expires" label="Link expires after" error={action.fieldError("expiresInHours")}>
          <Select id="invite-expires" defaultValue="24" error={action.fieldError("expiresInHours")}>
            <option value="1">1 hour</option>
            <option value="24">1 day</option>
            <option value="72">3 days</option>
            <option value="168">7 days</option>
          </Select>
        </Field>
        {action.formError ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {action.formError}
          </p>
        ) : null}
        <Button type="submit" disabled={action.isPending} className="w-full">
          <Link2 aria-hidden className="h-4 w-4" />
          {action.isPending ? "Creating link…" : "Create invitation link"}
        </Button>
        {link ? (
          <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950/40">
            <p className="font-medium text-emerald-800 dark:text-emerald-300">Link created. It is shown only now.</p>
            <div className="mt-2 flex items-center gap-2">
              <input readOnly value={link} aria-label="Invitation link" data-testid="invite-link" className="min-w-0 flex-1 rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs dark:border-emerald-800 dark:bg-zinc-900" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={link} label="Copy link" />
            </div>
          </div>
        ) : null}
      </form>
    </Card>
  );
}
