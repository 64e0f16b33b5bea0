"use client";
// Runs a server action from a form and sorts its errors: each one beside the field that caused
// it (input validation or a refusal that names a field), the rest at the form's foot.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { useAction, type HookBaseOptions, type SingleInputActionFn } from "next-safe-action/hooks";
import type { ActionError } from "@/lib/auth/action-client";

type Flattened = { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };

export function useFormAction<S extends StandardSchemaV1 | undefined, ShapedErrors, Data>(
  action: SingleInputActionFn<ActionError, S, ShapedErrors, Data>,
  opts: HookBaseOptions<ActionError, S, ShapedErrors, Data> = {},
) {
  const hook = useAction(action, opts);
  const validation = hook.result.validationErrors as Flattened | undefined;
  const server = hook.result.serverError;
  const fieldError = (name: string): string | undefined =>
    validation?.fieldErrors?.[name]?.[0] ?? (server?.field === name ? server.message : undefined);
  const formError = validation?.formErrors?.[0] ?? (server && server.field === undefined ? server.message : undefined);
  return { ...hook, fieldError, formError, serverError: server };
}

/** An onSubmit handler that stops the browser's own submit and hands over the form's data. */
export function submitting(handle: (data: FormData) => void) {
  return (e: { preventDefault(): void; currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    handle(new FormData(e.currentTarget));
  };
}
