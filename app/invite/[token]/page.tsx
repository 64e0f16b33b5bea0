// /invite/[token]: shows what the link grants and lets the signed-in person accept it.
import type { Metadata } from "next";
import Link from "next/link";
import { sessionActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { previewInvitation } from "@/lib/services/invitations";
import { roleLabels } from "@/lib/auth/permissions";
import { AcceptButton } from "./accept-button";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await previewInvitation(await getDb(), token);
  const actor = await sessionActor();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-center shadow-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="invitation">
        {!invitation ? (
          <>
            <h1 className="text-xl font-semibold">This invitation cannot be used</h1>
            <p className="mt-2 text-sm text-zinc-500">It has expired, was revoked, or was already accepted. Ask the person who sent it for a new link.</p>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">Join {invitation.workspaceName}</h1>
            <p className="mt-2 text-sm text-zinc-500">
              You are invited as <strong>{roleLabels[invitation.role]}</strong>
              {invitation.email ? ` (for ${invitation.email})` : ""}. The link expires {invitation.expiresAt.toLocaleString()}.
            </p>
            <div className="mt-6">
              {actor ? (
                <AcceptButton token={token} email={actor.user.email} />
              ) : (
                <div className="space-y-6">
                  <SignUpForm token={token} email={invitation.email} />
                  <p className="text-sm text-zinc-500">
                    Already have an account?{" "}
                    <Link className="font-medium text-brand-600 hover:underline" href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
                      Sign in to accept
                    </Link>
                  </p>
                </div>
              )}
            </div>
          </>
        )}
      </div>
    </main>
  );
}
