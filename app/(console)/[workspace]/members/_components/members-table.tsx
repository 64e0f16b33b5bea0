"use client";
import { Trash2 } from "lucide-react";
import { useFormAction } from "@/components/forms/use-form-action";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { roleLabels } from "@/lib/auth/permissions";
import { roles, type Role } from "@/lib/auth/roles";
import { changeRoleAction, removeMemberAction } from "../actions";
import { TableHead } from "@/components/ui/table-head";

type MemberRow = { userId: string; email: string; name: string; role: Role; joinedAt: string };

type Props = { workspace: string; members: MemberRow[]; currentUserId: string; currentRole: Role; canManage: boolean };

export function MembersTable({ workspace, members, currentUserId, currentRole, canManage }: Props) {
  const change = useFormAction(changeRoleAction);
  const remove = useFormAction(removeMemberAction);
  const error = change.serverError?.message ?? remove.serverError?.message;
  // Only owners may touch owners; admins manage everyone else.
  const editable = (m: MemberRow) => canManage && (currentRole === "owner" || m.role !== "owner");

  return (
    <Card title={`${members.length} ${members.length === 1 ? "member" : "members"}`}>
      {error ? (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-5 py-3 text-sm text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300" data-testid="members-error">
          {error}
        </p>
      ) : null}
      <table className="w-full text-sm">
        <TableHead columns={[{ label: "Person" }, { label: "Role" }, { label: "Joined" }, { label: "Actions", hidden: true }]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {members.map((m) => (
            <tr key={m.userId} data-testid={`member-${m.email}`}>
              <td className="px-5 py-3">
                <div className="font-medium">{m.name || m.email}</div>
                {m.name ? <div className="text-xs text-zinc-500">{m.email}</div> : null}
                {m.userId === currentUserId ? <span className="text-xs text-zinc-500">(you)</span> : null}
              </td>
              <td className="px-5 py-3">
                {editable(m) ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={change.isPending}
                    onChange={(e) => change.execute({ workspace, userId: m.userId, role: e.target.value as Role })}
                    className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                  >
                    {roles
                      .filter((r) => currentRole === "owner" || r !== "owner")
                      .map((r) => (
                        <option key={r} value={r}>
                          {roleLabels[r]}
                        </option>
                      ))}
                  </select>
                ) : (
                  <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium dark:bg-zinc-800">{roleLabels[m.role]}</span>
                )}
              </td>
              <td className="px-5 py-3 text-zinc-500">{new Date(m.joinedAt).toLocaleDateString()}</td>
              <td className="px-5 py-3 text-right">
                {editable(m) ? (
                  <ConfirmButton variant="ghost" label={`Remove ${m.email}`} disabled={remove.isPending} question={`Remove ${m.email} from this workspace?`} onConfirm={() => remove.execute({ workspace, userId: m.userId })}>
                    <Trash2 aria-hidden className="h-4 w-4" />
                  </ConfirmButton>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
