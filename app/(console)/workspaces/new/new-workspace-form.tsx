"use client";
import { useRouter } from "next/navigation";
import { submitting, useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { createWorkspaceAction } from "./actions";

export function NewWorkspaceForm() {
  const router = useRouter();
  const action = useFormAction(createWorkspaceAction, { onSuccess: ({ data }) => data && router.push(`/${data.slug}/playground`) });
  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={submitting((f) => {
        const slug = String(f.get("ws-slug") ?? "").trim();
        action.execute({ name: String(f.get("ws-name") ?? ""), slug: slug || undefined });
      })}
    >
      <Field id="ws-name" label="Name" error={action.fieldError("name")}>
        <TextInput id="ws-name" autoFocus placeholder="Search team" error={action.fieldError("name")} />
      </Field>
      <Field id="ws-slug" label="URL slug (optional)" error={action.fieldError("slug")} hint="Lower-case letters, digits and dashes; made from the name when empty.">
        <TextInput id="ws-slug" placeholder="search-team" error={action.fieldError("slug")} />
      </Field>
      {action.formError ? <p role="alert" className="text-sm text-red-600">{action.formError}</p> : null}
      <Button type="submit" className="w-full" disabled={action.isPending}>
        {action.isPending ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
