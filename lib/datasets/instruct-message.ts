// The shape of one message of a Mistral instruct fine-tuning line (role, content, tool calls, weight).
// The order of messages and the pairing of tool calls with tool answers are checked in instruct-line.ts.
// Pure TypeScript with no Node imports: the console bundles it to check datasets in the browser.

export type LineIssue = { field: string | null; reason: string };

export const ROLES = ["system", "user", "assistant", "tool"] as const;
export type Role = (typeof ROLES)[number];

export type TextChunk = { type: "text"; text: string };
export type ToolCall = { id: string; type?: "function"; function: { name: string; arguments: string } };
export type InstructMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | TextChunk[] }
  // weight 0 keeps the message as context but does not train on it.
  | { role: "assistant"; content?: string | null; tool_calls?: ToolCall[] | null; weight?: 0 | 1 }
  | { role: "tool"; tool_call_id: string; name?: string; content: string };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

// Checks one message and returns its role when the role is known (the order checks need it).
export function checkMessage(message: unknown, path: string, issues: LineIssue[]): Role | undefined {
  const issue = (field: string, reason: string) => issues.push({ field, reason });
  if (!isObject(message)) {
    issue(path, "must be an object with a role and content");
    return undefined;
  }
  const role = message.role;
  if (!(ROLES as readonly unknown[]).includes(role)) {
    issue(`${path}.role`, role === undefined ? "is required: one of system, user, assistant, tool" : `must be one of system, user, assistant, tool, not ${JSON.stringify(role)}`);
    return undefined;
  }
  if (message.weight !== undefined && role !== "assistant") issue(`${path}.weight`, "is only allowed on assistant messages");

  if (role === "system" && typeof message.content !== "string") issue(`${path}.content`, "must be a string");
  if (role === "user") checkUserContent(message.content, `${path}.content`, issue);
  if (role === "tool") {
    if (!isNonEmptyString(message.tool_call_id)) issue(`${path}.tool_call_id`, "is required: the id of the assistant tool call this message answers");
    if (message.name !== undefined && typeof message.name !== "string") issue(`${path}.name`, "must be a string");
    if (typeof message.content !== "string") issue(`${path}.content`, "must be a string");
  }
  if (role === "assistant") checkAssistant(message, path, issue);
  return role as Role;
}

function checkUserContent(content: unknown, path: string, issue: (field: string, reason: string) => void) {
  if (typeof content === "string") return;
  if (!Array.isArray(content)) {
    issue(path, "must be a string or a list of text chunks");
    return;
  }
  if (content.length === 0) issue(path, "must not be an empty list");
  content.forEach((chunk: unknown, j) => {
    if (!isObject(chunk)) return issue(`${path}[${j}]`, 'must be an object {"type": "text", "text": ...}');
    if (chunk.type === "image_url") return issue(`${path}[${j}].type`, "image chunks are not allowed in fine-tuning data: use text chunks only");
    if (chunk.type !== "text") return issue(`${path}[${j}].type`, 'must be "text"');
    if (typeof chunk.text !== "string") issue(`${path}[${j}].text`, "must be a string");
  });
}

function checkAssistant(message: Record<string, unknown>, path: string, issue: (field: string, reason: string) => void) {
  const { content, tool_calls: toolCalls, weight } = message;
  const contentShapeOk = content === undefined || content === null || typeof content === "string";
  const callsShapeOk = toolCalls === undefined || toolCalls === null || Array.isArray(toolCalls);
  if (!contentShapeOk) issue(`${path}.content`, "must be a string");
  if (!callsShapeOk) issue(`${path}.tool_calls`, "must be a list of tool calls");
  if (Array.isArray(toolCalls)) toolCalls.forEach((call: unknown, k) => checkToolCall(call, `${path}.tool_calls[${k}]`, issue));
  // Only when both fields have the right type, so one mistake does not produce two errors.
  const hasCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
  if (contentShapeOk && callsShapeOk && !isNonEmptyString(content) && !hasCalls) issue(path, "an assistant message needs non-empty content or tool_calls");
  if (weight !== undefined && weight !== 0 && weight !== 1) issue(`${path}.weight`, "must be 0 or 1");
}

function checkToolCall(call: unknown, path: string, issue: (field: string, reason: string) => void) {
  if (!isObject(call)) return issue(path, 'must be an object {"id", "type": "function", "function": {"name", "arguments"}}');
  if (!isNonEmptyString(call.id)) issue(`${path}.id`, "must be a non-empty string");
  if (call.type !== undefined && call.type !== "function") issue(`${path}.type`, 'must be "function"');
  const fn = call.function;
  if (!isObject(fn)) return issue(`${path}.function`, 'must be an object {"name", "arguments"}');
  if (!isNonEmptyString(fn.name)) issue(`${path}.function.name`, "must be a non-empty string");
  if (typeof fn.arguments !== "string") return issue(`${path}.function.arguments`, "must be a string: the JSON-encoded arguments");
  // The model learns to write these arguments, so they must be what a tool could parse.
  if (!isObject(parseJson(fn.arguments))) issue(`${path}.function.arguments`, "must be a JSON-encoded object");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
