// The console's areas: navigation and the empty state each shows until its issue lands.
import {
  Activity,
  Boxes,
  FileStack,
  FlaskConical,
  KeyRound,
  Layers,
  MessagesSquare,
  PlugZap,
  ScrollText,
  Settings,
  Users,
  type LucideIcon,
} from "lucide-react";
import type { Permission } from "@/lib/auth/permissions";

export type Area = {
  segment: string;
  label: string;
  icon: LucideIcon;
  group: "Build" | "Operate" | "Workspace";
  permission: Permission;
  description: string;
  emptyTitle: string;
  emptyBody: string;
};

export const areas: Area[] = [
  {
    segment: "playground",
    label: "Playground",
    icon: MessagesSquare,
    group: "Build",
    permission: "models:read",
    description: "Try prompts and models: streaming chat, images, tools, structured output and code completion.",
    emptyTitle: "No models to talk to yet",
    emptyBody: "The playground streams answers from any model this workspace can use. Add a provider or a local GGUF model, then come back to chat, compare models side by side and copy the request as code.",
  },
  {
    segment: "models",
    label: "Models",
    icon: Boxes,
    group: "Build",
    permission: "models:read",
    description: "The model aliases this workspace can call, their prices, context lengths and capabilities.",
    emptyTitle: "No models yet",
    emptyBody: "Models are aliases that route to one or more upstream deployments, with a price per million tokens. They appear here once an administrator adds a provider; set MISTRAL_API_KEY or OPENAI_API_KEY to import them at start.",
  },
  {
    segment: "fine-tuning",
    label: "Fine-tuning",
    icon: FlaskConical,
    group: "Build",
    permission: "jobs:read",
    description: "Train models on your own data and watch their loss fall.",
    emptyTitle: "No fine-tuning jobs",
    emptyBody: "Upload a JSONL dataset of conversations, check it line by line, pick a base model and hyperparameters, and follow the job live: status, loss curves and checkpoints.",
  },
  {
    segment: "batches",
    label: "Batches",
    icon: Layers,
    group: "Build",
    permission: "jobs:read",
    description: "Run thousands of requests at the batch price and download the results.",
    emptyTitle: "No batch jobs",
    emptyBody: "Build a batch from a JSONL file or from a spreadsheet and a prompt template, preview the first requests, submit, and watch the progress bar until the results are ready to download.",
  },
  {
    segment: "files",
    label: "Files",
    icon: FileStack,
    group: "Build",
    permission: "jobs:read",
    description: "Datasets and batch inputs and outputs stored in this workspace.",
    emptyTitle: "No files",
    emptyBody: "Files uploaded through the API (POST /v1/files) or the wizards land here: fine-tuning datasets, batch inputs and their results.",
  },
  {
    segment: "keys",
    label: "API keys",
    icon: KeyRound,
    group: "Operate",
    permission: "keys:read",
    description: "Keys that clients use to call /v1, with their limits and quotas.",
    emptyTitle: "No API keys",
    emptyBody: "Create a key to call Bora's Mistral-compatible API from the official SDKs. Each key can be limited to some models, to requests and tokens per minute, and to a monthly quota. Until the keys page lands, `npm run cli -- keys create` issues them.",
  },
  {
    segment: "usage",
    label: "Usage",
    icon: Activity,
    group: "Operate",
    permission: "usage:read",
    description: "Requests, tokens, spend, errors and latency, by model, key and time.",
    emptyTitle: "No usage yet",
    emptyBody: "Every request through the gateway is metered here: tokens in and out, cost, latency and time to first token, with charts by model and key and a request log you can filter and export.",
  },
  {
    segment: "providers",
    label: "Providers",
    icon: PlugZap,
    group: "Operate",
    permission: "models:read",
    description: "The upstreams Bora forwards to: Mistral, OpenAI-compatible servers and the local engine.",
    emptyTitle: "No providers configured",
    emptyBody: "Providers are the upstream APIs behind your models: La Plateforme, any OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI) or the built-in local engine for GGUF files. Their secrets are encrypted at rest.",
  },
  {
    segment: "members",
    label: "Members",
    icon: Users,
    group: "Workspace",
    permission: "members:read",
    description: "Who can use this workspace, and what each person may do.",
    emptyTitle: "",
    emptyBody: "",
  },
  {
    segment: "settings",
    label: "Settings",
    icon: Settings,
    group: "Workspace",
    permission: "workspace:read",
    description: "The workspace's name, data residency and time zone.",
    emptyTitle: "",
    emptyBody: "",
  },
  {
    segment: "audit",
    label: "Audit log",
    icon: ScrollText,
    group: "Workspace",
    permission: "audit:read",
    description: "Every change to keys, limits, budgets, members and settings: who, what, before and after.",
    emptyTitle: "",
    emptyBody: "",
  },
];

export function areaBySegment(segment: string): Area {
  const area = areas.find((a) => a.segment === segment);
  if (!area) throw new Error(`unknown console area ${segment}`);
  return area;
}
