"use client";
// Runs a server action from a form and sorts its errors: each one beside the field that caused
// it (input validation or a refusal that names a field), the rest at the form's foot.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { useAction, type HookBaseOptions, type SingleInputActionFn } from "next-safe-action/hooks";
import type { ActionError } from "@/lib/auth/action-client";

// next-safe-action's "formatted" shape: { _errors, field: { _errors, 0: { _errors }, … } }.
// Kept whole (not flattened) so an error deep in a list (the second threshold, a row's limit)
// still reaches the field that holds the list.
type Formatted = { _errors?: string[] } & { [key: string]: Formatted | string[] | undefined };

function firstError(node: Formatted | undefined): string | undefined {
  if (!node) return undefined;
  if (node._errors?.length) return node._errors[0];
  for (const [key, child] of Object.entries(node)) {
    if (key === "_errors" || Array.isArray(child)) continue;
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

export function useFormAction<S extends StandardSchemaV1 | undefined, ShapedErrors, Data>(
  action: SingleInputActionFn<ActionError, S, ShapedErrors, Data>,
  opts: HookBaseOptions<ActionError, S, ShapedErrors, Data> = {},
) {
  const hook = useAction(action, opts);
  const validation = hook.result.validationErrors as Formatted | undefined;
  const server = hook.result.serverError;
  const fieldError = (name: string): string | undefined =>
    firstError(validation?.[name] as Formatted | undefined) ?? (server?.field === name ? server.message : undefined);
  const formError = validation?._errors?.[0] ?? (server && server.field === undefined ? server.message : undefined);
  return { ...hook, fieldError, formError, serverError: server };
}

/** An onSubmit handler that stops the browser's own submit and hands over the form's data. */
export function submitting(handle: (data: FormData) => void) {
  return (e: { preventDefault(): void; currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    handle(new FormData(e.currentTarget));
  };
}
