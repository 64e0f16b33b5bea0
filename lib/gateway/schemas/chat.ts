// The chat completion request, validated before anything is sent upstream. Unknown fields pass
// through (newer SDKs send fields this schema does not know yet); known ones must be right.
import Ajv from "ajv";
import { z } from "zod";

const ajv = new Ajv({ strict: false, validateSchema: true });

const textChunk = z.object({ type: z.literal("text"), text: z.string() });
const imageChunk = z.object({
  type: z.literal("image_url"),
  image_url: z.union([z.string().min(1), z.object({ url: z.string().min(1), detail: z.string().optional() })]),
});
const otherChunk = z.looseObject({ type: z.string().refine((t) => t !== "text" && t !== "image_url") });
const content = z.union([z.string(), z.array(z.union([textChunk, imageChunk, otherChunk]))]);

const toolCall = z.looseObject({
  id: z.string().optional(),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string().min(1), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]) }),
  index: z.number().int().optional(),
});

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content }),
  z.looseObject({ role: z.literal("user"), content }),
  z
    .looseObject({ role: z.literal("assistant"), content: content.nullable().optional(), tool_calls: z.array(toolCall).nullable().optional(), prefix: z.boolean().optional() })
    .refine((m) => m.content != null || (m.tool_calls?.length ?? 0) > 0, "An assistant message needs content or tool_calls."),
  z.looseObject({ role: z.literal("tool"), content, tool_call_id: z.string({ message: "A tool message needs the tool_call_id it answers." }).min(1), name: z.string().optional() }),
]);

const jsonSchemaObject = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  try {
    ajv.compile(schema);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `Not a valid JSON Schema: ${(err as Error).message}` });
  }
});

export const responseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({ name: z.string().min(1).max(64), description: z.string().nullable().optional(), schema: jsonSchemaObject, strict: z.boolean().optional() }),
  }),
]);

const tool = z.looseObject({
  type: z.literal("function").default("function"),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "Tool names are 1–64 letters, digits, underscores or dashes."),
    description: z.string().optional(),
    parameters: jsonSchemaObject.optional(),
  }),
});

export const sampling = {
  model: z.string({ message: "model is required." }).min(1, "model is required."),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().min(0).nullable().optional(),
  stream: z.boolean().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullable().optional(),
  random_seed: z.number().int().min(0).nullable().optional(),
};

export const chatRequest = z.looseObject({
  ...sampling,
  messages: z.array(message).min(1, "messages must not be empty."),
  response_format: responseFormat.optional(),
  tools: z.array(tool).nullable().optional(),
  tool_choice: z.union([z.enum(["auto", "none", "any", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) })]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  n: z.number().int().min(1).max(8).nullable().optional(),
  safe_prompt: z.boolean().optional(),
  prediction: z.looseObject({ type: z.string(), content: z.string() }).optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type ChatRequest = z.infer<typeof chatRequest>;

/** What a request needs from a model: used to refuse early and to route "auto" aliases. */
export function chatNeeds(req: ChatRequest): { vision: boolean; tools: boolean } {
  const vision = req.messages.some((m) => Array.isArray(m.content) && m.content.some((c) => (c as { type?: string }).type === "image_url"));
  return { vision, tools: Boolean(req.tools?.length) };
}
