// /[workspace]/playground: try prompts against the workspace's models, streamed.
import type { Metadata } from "next";
import { MessagesSquare } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { roleCan } from "@/lib/auth/permissions";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { getConversation, listConversations } from "@/lib/playground/conversations";
import { listPresets } from "@/lib/playground/presets";
import { listModels } from "@/lib/services/models";
import { PlaygroundModes } from "./_components/playground-modes";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ model?: string; prompt?: string; system?: string; conversation?: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "models:read");
  const db = await getDb();
  const all = await listModels(db, undefined, { workspaceId: ctx.workspace.id });
  // ?model= (from "Try in playground") puts that model first, where the pickers start; ?prompt=
  // and ?system= (from a batch preview) fill the message and the system prompt.
  const { model: wanted, prompt, system, conversation } = await searchParams;
  const models = all.filter((m) => m.capabilities.chat).sort((a, b) => Number(b.alias === wanted) - Number(a.alias === wanted));
  const view = (m: (typeof all)[number]) => ({ alias: m.alias, description: m.description, vision: m.capabilities.vision, tools: m.capabilities.functionCalling, contextLength: m.contextLength, inputPrice: m.inputPricePerMillion, outputPrice: m.outputPricePerMillion });
  const canUse = roleCan(ctx.role, "playground:use");
  const [presets, conversations, opened] = canUse ? await Promise.all([listPresets(db, ctx), listConversations(db, ctx), conversation ? openConversation(ctx, conversation) : undefined]) : [[], [], undefined];
  return (
    <>
      <PageHeader title="Playground" description="Try prompts and models. Answers stream through the same gateway as API traffic and count toward this workspace's usage, tagged as playground." />
      {models.length === 0 ? (
        <EmptyState icon={MessagesSquare} title="No models to talk to yet">
          <p>The playground streams answers from any chat model this workspace can use. An instance administrator adds a provider and a model on the Providers and Models pages (no upstream keys? `npm run sim` starts a simulator to point a provider at).</p>
        </EmptyState>
      ) : !canUse ? (
        <EmptyState icon={MessagesSquare} title="Viewers cannot use the playground">
          <p>Calling models costs money, so it takes the developer role or above. Ask an admin of this workspace.</p>
        </EmptyState>
      ) : (
        <PlaygroundModes
          workspace={ctx.workspace.slug}
          chatModels={models.map(view)}
          fimModels={all.filter((m) => m.capabilities.fim).map(view)}
          presets={presets.map(({ id, name, settings }) => ({ id, name, settings }))}
          conversations={conversations.map(({ id, title, model }) => ({ id, title, model }))}
          opened={opened && "id" in opened ? { id: opened.id, settings: opened.settings, messages: opened.messages } : undefined}
          openError={opened && "error" in opened ? opened.error : undefined}
          start={{ prompt, system }}
        />
      )}
    </>
  );
}

/** ?conversation=id: the member's own conversation, or why it cannot be opened (not a 404 page). */
async function openConversation(ctx: Awaited<ReturnType<typeof requireWorkspace>>, id: string) {
  try {
    return await getConversation(await getDb(), ctx, { id });
  } catch (err) {
    if (isBoraError(err) && err.status === 404) return { error: "That conversation was not found: it may have been deleted. This is a new one." };
    throw err;
  }
}
