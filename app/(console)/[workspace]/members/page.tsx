// /[workspace]/members: who belongs to the workspace, pending invitations, and an invite form.
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listInvitations } from "@/lib/services/invitations";
import { listMembers } from "@/lib/services/members";
import { InviteForm } from "./_components/invite-form";
import { MembersTable } from "./_components/members-table";
import { PendingInvitations } from "./_components/pending-invitations";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "members:read");
  const db = await getDb();
  const canManage = roleCan(ctx.role, "members:manage");
  const [members, invitations] = await Promise.all([listMembers(db, ctx), canManage ? listInvitations(db, ctx) : Promise.resolve([])]);
  const slug = ctx.workspace.slug;
  return (
    <>
      <PageHeader title="Members" description="Who can use this workspace, and what each person may do. Owners and admins invite people with a link that works once." />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          <MembersTable
            workspace={slug}
            members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
            currentUserId={ctx.user.id}
            currentRole={ctx.role}
            canManage={canManage}
          />
          {canManage ? <PendingInvitations workspace={slug} invitations={invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() }))} /> : null}
        </div>
        {canManage ? <InviteForm workspace={slug} canInviteOwners={ctx.role === "owner"} /> : null}
      </div>
    </>
  );
}
