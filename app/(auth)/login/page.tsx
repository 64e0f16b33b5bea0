// /login: sign in with email and password, or single sign-on when OIDC is configured.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { sessionActor } from "@/lib/auth/session";
import { getConfig, oidcConfigured } from "@/lib/config";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const params = await searchParams;
  const callbackUrl = params.callbackUrl?.startsWith("/") ? params.callbackUrl : "/";
  if (await sessionActor()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/favicon.svg" alt="" width={44} height={44} />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Bora</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Your models, keys and usage, in one place.</p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <LoginForm callbackUrl={callbackUrl} sso={oidcConfigured(getConfig())} initialError={params.error === "OAuthSignin" || params.error === "OAuthCallback" ? "Single sign-on failed. Try again." : undefined} />
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">
          First start? The administrator&apos;s email and password were printed in the server&apos;s log.
        </p>
      </div>
    </main>
  );
}
