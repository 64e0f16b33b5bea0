import { describe, expect, it } from "vitest";
import { validateInstructLine } from "./instruct-line";

const user = (content: unknown = "Hi") => ({ role: "user", content });
const assistant = (content: unknown = "Hello") => ({ role: "assistant", content });
const call = (id: string, name = "get_weather", args = '{"city": "Paris"}') => ({ id, type: "function", function: { name, arguments: args } });
const tool = (id: string, content = "22°C") => ({ role: "tool", tool_call_id: id, name: "get_weather", content });
const weatherTool = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };

describe("validateInstructLine", () => {
  it("accepts a multi-turn conversation with a system prompt, parallel tool calls and weights", () => {
    const line = {
      tools: [weatherTool, { type: "function", function: { name: "get_time", description: "Local time" } }],
      messages: [
        { role: "system", content: "You are terse." },
        user([{ type: "text", text: "Weather and time in Paris and Rome?" }]),
        { role: "assistant", content: null, tool_calls: [call("a1"), call("b2", "get_weather", '{"city": "Rome"}'), call("c3", "get_time", "{}")] },
        tool("b2", "25°C"),
        tool("a1"),
        tool("c3", "14:02"),
        { role: "assistant", content: "Paris 22°C, Rome 25°C, 14:02.", weight: 0 },
        user("And tomorrow in Paris?"),
        { role: "assistant", content: "", tool_calls: [{ id: "d4", function: { name: "get_weather", arguments: '{"city": "Paris", "day": 1}' } }] },
        tool("d4", "19°C"),
        { role: "assistant", content: "19°C.", weight: 1 },
      ],
    };
    expect(validateInstructLine(line)).toEqual([]);
  });

  it("accepts a sample ending in an assistant tool call (it teaches the call itself)", () => {
    expect(validateInstructLine({ tools: [weatherTool], messages: [user(), { role: "assistant", tool_calls: [call("a1")] }] })).toEqual([]);
  });

  const bad: [string, unknown, { field: string | null; reason: string }[]][] = [
    ["not an object", [1, 2], [{ field: null, reason: 'must be a JSON object {"messages": [...]}' }]],
    ["no messages", { prompt: "x" }, [{ field: "messages", reason: "is required: a list of messages" }]],
    ["messages not a list", { messages: "hi" }, [{ field: "messages", reason: "must be a list of messages" }]],
    ["empty messages", { messages: [] }, [{ field: "messages", reason: "must not be empty" }]],
    ["message not an object", { messages: [user(), "hi", assistant()] }, [{ field: "messages[1]", reason: "must be an object with a role and content" }]],
    ["missing role", { messages: [{ content: "Hi" }, assistant()] }, [{ field: "messages[0].role", reason: "is required: one of system, user, assistant, tool" }]],
    ["unknown role", { messages: [user(), { role: "bot", content: "x" }, assistant()] }, [{ field: "messages[1].role", reason: 'must be one of system, user, assistant, tool, not "bot"' }]],
    ["system content not a string", { messages: [{ role: "system", content: 3 }, user(), assistant()] }, [{ field: "messages[0].content", reason: "must be a string" }]],
    ["user content of another type", { messages: [user(42), assistant()] }, [{ field: "messages[0].content", reason: "must be a string or a list of text chunks" }]],
    ["empty chunk list", { messages: [user([]), assistant()] }, [{ field: "messages[0].content", reason: "must not be an empty list" }]],
    [
      "image chunk",
      { messages: [user([{ type: "text", text: "What is this?" }, { type: "image_url", image_url: "https://x/y.png" }]), assistant()] },
      [{ field: "messages[0].content[1].type", reason: "image chunks are not allowed in fine-tuning data: use text chunks only" }],
    ],
    ["unknown chunk type", { messages: [user([{ type: "audio" }]), assistant()] }, [{ field: "messages[0].content[0].type", reason: 'must be "text"' }]],
    ["chunk text not a string", { messages: [user([{ type: "text", text: 1 }]), assistant()] }, [{ field: "messages[0].content[0].text", reason: "must be a string" }]],
    ["system after the start", { messages: [user(), assistant(), { role: "system", content: "x" }, user(), assistant()] }, [{ field: "messages[2].role", reason: "system messages are only allowed at the start of the conversation" }]],
    ["starts with an assistant", { messages: [{ role: "system", content: "s" }, assistant(), user(), assistant()] }, [{ field: "messages[1].role", reason: "the conversation must start with a user message (after any system messages)" }]],
    ["no assistant", { messages: [user()] }, [{ field: "messages", reason: "must contain at least one assistant message to learn from" }]],
    ["ends with a user", { messages: [user(), assistant(), user("more")] }, [{ field: "messages[2].role", reason: "the last message must be an assistant message (the answer to learn from)" }]],
    ["two users in a row", { messages: [user(), user("again"), assistant()] }, [{ field: "messages[1].role", reason: "two user messages in a row (messages[0] is also user)" }]],
    ["two assistants in a row", { messages: [user(), assistant(), assistant("more")] }, [{ field: "messages[2].role", reason: "two assistant messages in a row (messages[1] is also assistant)" }]],
    ["empty assistant", { messages: [user(), assistant("  ")] }, [{ field: "messages[1]", reason: "an assistant message needs non-empty content or tool_calls" }]],
    ["assistant content of another type", { messages: [user(), assistant(["x"])] }, [{ field: "messages[1].content", reason: "must be a string" }]],
    ["tool_calls not a list", { messages: [user(), { role: "assistant", content: "x", tool_calls: {} }] }, [{ field: "messages[1].tool_calls", reason: "must be a list of tool calls" }]],
    ["weight 0.5", { messages: [user(), { ...assistant(), weight: 0.5 }] }, [{ field: "messages[1].weight", reason: "must be 0 or 1" }]],
    ["weight on a user", { messages: [{ ...user(), weight: 1 }, assistant()] }, [{ field: "messages[0].weight", reason: "is only allowed on assistant messages" }]],
    ["all weights 0", { messages: [user(), { ...assistant(), weight: 0 }] }, [{ field: "messages", reason: "every assistant message has weight 0: nothing to learn from" }]],
    [
      "tool call without id, wrong type, arguments as an object",
      { messages: [user(), { role: "assistant", tool_calls: [{ type: "tool", function: { name: "f", arguments: { a: 1 } } }] }] },
      [
        { field: "messages[1].tool_calls[0].id", reason: "must be a non-empty string" },
        { field: "messages[1].tool_calls[0].type", reason: 'must be "function"' },
        { field: "messages[1].tool_calls[0].function.arguments", reason: "must be a string: the JSON-encoded arguments" },
      ],
    ],
    ["arguments not JSON", { messages: [user(), { role: "assistant", tool_calls: [call("a1", "f", "{city: Paris}")] }] }, [{ field: "messages[1].tool_calls[0].function.arguments", reason: "must be a JSON-encoded object" }]],
    ["tool call without function", { messages: [user(), { role: "assistant", tool_calls: [{ id: "a1" }] }] }, [{ field: "messages[1].tool_calls[0].function", reason: 'must be an object {"name", "arguments"}' }]],
    ["function without name", { messages: [user(), { role: "assistant", tool_calls: [{ id: "a1", function: { arguments: "{}" } }] }] }, [{ field: "messages[1].tool_calls[0].function.name", reason: "must be a non-empty string" }]],
    ["tool message without id", { messages: [user(), { role: "assistant", tool_calls: [call("a1")] }, { role: "tool", content: "x" }, assistant()] }, [
      { field: "messages[2].tool_call_id", reason: "is required: the id of the assistant tool call this message answers" },
      { field: "messages[1].tool_calls[0].id", reason: 'tool call "a1" has no tool message answering it before messages[3]' },
    ]],
    ["tool answer to an unknown call", { messages: [user(), { role: "assistant", tool_calls: [call("a1")] }, tool("a1"), tool("zz"), assistant()] }, [{ field: "messages[3].tool_call_id", reason: '"zz" does not match an unanswered tool call of an earlier assistant message' }]],
    ["tool call answered twice", { messages: [user(), { role: "assistant", tool_calls: [call("a1")] }, tool("a1"), tool("a1"), assistant()] }, [{ field: "messages[3].tool_call_id", reason: 'answers tool call "a1", which an earlier tool message already answered' }]],
    ["parallel call left unanswered", { messages: [user(), { role: "assistant", tool_calls: [call("a1"), call("b2")] }, tool("a1"), assistant()] }, [{ field: "messages[1].tool_calls[1].id", reason: 'tool call "b2" has no tool message answering it before messages[3]' }]],
    ["call unanswered at the end", { messages: [user(), { role: "assistant", tool_calls: [call("a1"), call("b2")] }, tool("a1")] }, [
      { field: "messages[1].tool_calls[1].id", reason: 'tool call "b2" has no tool message answering it before the end of the conversation' },
      { field: "messages[2].role", reason: "the last message must be an assistant message (the answer to learn from)" },
    ]],
    ["repeated tool call id", { messages: [user(), { role: "assistant", tool_calls: [call("a1"), call("a1")] }, tool("a1"), assistant()] }, [{ field: "messages[1].tool_calls[1].id", reason: 'repeats the id "a1" of an earlier tool call' }]],
    ["tools not a list", { tools: {}, messages: [user(), assistant()] }, [{ field: "tools", reason: "must be a list of tools" }]],
    ["tool of another type", { tools: [{ type: "retrieval", function: { name: "f" } }], messages: [user(), assistant()] }, [{ field: "tools[0].type", reason: 'must be "function"' }]],
    ["tool without function", { tools: [{ type: "function" }], messages: [user(), assistant()] }, [{ field: "tools[0].function", reason: 'must be an object {"name", "description", "parameters"}' }]],
    ["tool parameters not a schema object", { tools: [{ type: "function", function: { name: "f", parameters: "{}" } }], messages: [user(), assistant()] }, [{ field: "tools[0].function.parameters", reason: "must be a JSON schema object" }]],
    ["tool declared twice", { tools: [weatherTool, weatherTool], messages: [user(), assistant()] }, [{ field: "tools[1].function.name", reason: 'repeats the tool name "get_weather"' }]],
    ["call to an undeclared tool", { tools: [weatherTool], messages: [user(), { role: "assistant", tool_calls: [call("a1", "get_time", "{}")] }] }, [{ field: "messages[1].tool_calls[0].function.name", reason: '"get_time" is not one of the tools declared in "tools"' }]],
  ];

  it.each(bad)("rejects %s", (_name, line, expected) => {
    expect(validateInstructLine(line)).toEqual(expected);
  });
});
