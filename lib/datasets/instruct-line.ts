// Validates one parsed line of a Mistral instruct dataset: {"messages": [...], "tools"?: [...]}.
// Each issue names a field path (messages[2].role) so the console, API and CLI can point at it.
import { checkMessage, isObject, type InstructMessage, type LineIssue, type Role } from "./instruct-message";

export type { LineIssue } from "./instruct-message";

export type InstructTool = { type: "function"; function: { name: string; description?: string; parameters?: Record<string, unknown> } };
export type InstructLine = { messages: InstructMessage[]; tools?: InstructTool[] | null };

// Returns every problem found in the line; an empty list means the line can be trained on.
export function validateInstructLine(value: unknown): LineIssue[] {
  if (!isObject(value)) return [{ field: null, reason: 'must be a JSON object {"messages": [...]}' }];
  const issues: LineIssue[] = [];
  const toolNames = checkTools(value.tools, issues);
  const messages = value.messages;
  if (!Array.isArray(messages)) {
    issues.push({ field: "messages", reason: messages === undefined ? "is required: a list of messages" : "must be a list of messages" });
    return issues;
  }
  if (messages.length === 0) {
    issues.push({ field: "messages", reason: "must not be empty" });
    return issues;
  }
  const roles = messages.map((message: unknown, i) => checkMessage(message, `messages[${i}]`, issues));
  checkConversation(messages, roles, toolNames, issues);
  return issues;
}

// Returns the declared tool names, or undefined when the line declares no tools (then calls are not checked against them).
function checkTools(tools: unknown, issues: LineIssue[]): Set<string> | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) {
    issues.push({ field: "tools", reason: "must be a list of tools" });
    return undefined;
  }
  const names = new Set<string>();
  tools.forEach((tool: unknown, i) => {
    const issue = (field: string, reason: string) => issues.push({ field: `tools[${i}]${field}`, reason });
    if (!isObject(tool)) return issue("", 'must be an object {"type": "function", "function": {"name", "parameters"}}');
    if (tool.type !== "function") issue(".type", 'must be "function"');
    const fn = tool.function;
    if (!isObject(fn)) return issue(".function", 'must be an object {"name", "description", "parameters"}');
    if (typeof fn.name !== "string" || fn.name.trim() === "") issue(".function.name", "must be a non-empty string");
    else if (names.has(fn.name)) issue(".function.name", `repeats the tool name ${JSON.stringify(fn.name)}`);
    else names.add(fn.name);
    if (fn.description !== undefined && typeof fn.description !== "string") issue(".function.description", "must be a string");
    if (fn.parameters !== undefined && !isObject(fn.parameters)) issue(".function.parameters", "must be a JSON schema object");
  });
  return names;
}

// The order rules, walked once over the messages whose role is known; a message with a bad role was
// already reported and is skipped, so one mistake does not cascade into order errors.
function checkConversation(messages: unknown[], roles: (Role | undefined)[], toolNames: Set<string> | undefined, issues: LineIssue[]) {
  const issue = (field: string, reason: string) => issues.push({ field, reason });
  const pending = new Map<string, string>(); // tool call id → field path of the call, until a tool message answers it
  const answered = new Set<string>();
  const seen = new Set<string>();
  let started = false; // whether a non-system message has been seen
  let assistants = 0;
  let learnable = 0;

  const flagUnanswered = (before: string) => {
    for (const [id, path] of pending) issue(`${path}.id`, `tool call ${JSON.stringify(id)} has no tool message answering it before ${before}`);
    pending.clear();
  };

  roles.forEach((role, i) => {
    // An unknown role still takes the message's place, so the next one is not judged as the opening.
    if (role === undefined) {
      started = true;
      return;
    }
    const message = messages[i] as Record<string, unknown>;
    const path = `messages[${i}]`;
    const previous = i > 0 ? roles[i - 1] : undefined;
    if (role === "system") {
      if (started) issue(`${path}.role`, "system messages are only allowed at the start of the conversation");
      return;
    }
    if (!started) {
      started = true;
      if (role !== "user") issue(`${path}.role`, "the conversation must start with a user message (after any system messages)");
    } else if ((role === "user" || role === "assistant") && previous === role) {
      issue(`${path}.role`, `two ${role} messages in a row (messages[${i - 1}] is also ${role})`);
    }

    if (role === "user" || role === "assistant") flagUnanswered(path);
    if (role === "assistant") {
      assistants++;
      if (message.weight !== 0) learnable++;
      const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as unknown[]) : [];
      calls.forEach((call, k) => {
        if (!isObject(call)) return;
        const callPath = `${path}.tool_calls[${k}]`;
        const name = isObject(call.function) ? call.function.name : undefined;
        if (toolNames && typeof name === "string" && name.trim() !== "" && !toolNames.has(name)) {
          issue(`${callPath}.function.name`, `${JSON.stringify(name)} is not one of the tools declared in "tools"`);
        }
        if (typeof call.id !== "string" || call.id.trim() === "") return;
        if (seen.has(call.id)) return issue(`${callPath}.id`, `repeats the id ${JSON.stringify(call.id)} of an earlier tool call`);
        seen.add(call.id);
        pending.set(call.id, callPath);
      });
    }
    if (role === "tool" && typeof message.tool_call_id === "string" && message.tool_call_id.trim() !== "") {
      const id = message.tool_call_id;
      if (pending.delete(id)) answered.add(id);
      else if (answered.has(id)) issue(`${path}.tool_call_id`, `answers tool call ${JSON.stringify(id)}, which an earlier tool message already answered`);
      else issue(`${path}.tool_call_id`, `${JSON.stringify(id)} does not match an unanswered tool call of an earlier assistant message`);
    }
  });

  const lastIndex = roles.length - 1;
  const lastRole = roles[lastIndex];
  // Calls made by the final assistant message may stay unanswered: the sample teaches the model to call the tool.
  if (lastRole !== "assistant") flagUnanswered("the end of the conversation");
  if (assistants === 0) issue("messages", "must contain at least one assistant message to learn from");
  else if (learnable === 0) issue("messages", "every assistant message has weight 0: nothing to learn from");
  else if (lastRole !== undefined && lastRole !== "assistant") {
    issue(`messages[${lastIndex}].role`, "the last message must be an assistant message (the answer to learn from)");
  }
}
