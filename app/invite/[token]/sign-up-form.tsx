"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { signUpWithInvitationAction } from "./actions";

export function SignUpForm({ token, email }: { token: string; email: string | null }) {
  const router = useRouter();
  const action = useFormAction(signUpWithInvitationAction, {
    async onSuccess({ data, input }) {
      // The account exists now: sign in with what was just typed, then open the workspace.
      await signIn("credentials", { email: data.email, password: input.password, redirect: false });
      router.push(`/${data.workspaceSlug}/playground`);
      router.refresh();
    },
  });
  return (
    <form
      className="space-y-4 text-left"
      noValidate
      onSubmit={submitting((f) => {
        action.execute({ token, email: String(f.get("signup-email") ?? ""), name: String(f.get("signup-name") ?? ""), password: String(f.get("signup-password") ?? "") });
      })}
    >
      <Field id="signup-name" label="Your name" error={action.fieldError("name")}>
        <TextInput id="signup-name" autoComplete="name" error={action.fieldError("name")} />
      </Field>
      <Field id="signup-email" label="Email" error={action.fieldError("email")}>
        <TextInput id="signup-email" type="email" autoComplete="username" defaultValue={email ?? ""} readOnly={Boolean(email)} error={action.fieldError("email")} />
      </Field>
      <Field id="signup-password" label="Password" error={action.fieldError("password")} hint="At least 8 characters.">
        <TextInput id="signup-password" type="password" autoComplete="new-password" error={action.fieldError("password")} />
      </Field>
      {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
      <Button type="submit" className="w-full" disabled={action.isPending || action.hasSucceeded}>
        {action.isPending ? "Creating account…" : "Create account and join"}
      </Button>
    </form>
  );
}
