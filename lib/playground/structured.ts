// Structured output in the playground: the JSON Schema typed in the editor is checked as you
// type, and each answer is checked against it (ajv), so a pass or a fail is shown with its reason.
import Ajv, { type ValidateFunction } from "ajv";

const ajv = new Ajv({ strict: false, allErrors: false });

export type SchemaCheck = { ok: true; schema: Record<string, unknown>; validate: ValidateFunction } | { ok: false; error: string };

export function checkSchema(text: string): SchemaCheck {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not JSON: ${(err as Error).message}` };
  }
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return { ok: false, error: "A JSON Schema is an object." };
  try {
    return { ok: true, schema: schema as Record<string, unknown>, validate: ajv.compile(schema as object) };
  } catch (err) {
    return { ok: false, error: `Not a valid JSON Schema: ${(err as Error).message}` };
  }
}

export type AnswerCheck = { ok: boolean; reason: string; pretty?: string };

/** Is the answer JSON, and (given a schema) does it fit it? */
export function checkAnswer(text: string, validate?: ValidateFunction): AnswerCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "The answer is not valid JSON." };
  }
  const pretty = JSON.stringify(value, null, 2);
  if (!validate) return { ok: true, reason: "Valid JSON.", pretty };
  if (validate(value)) return { ok: true, reason: "Matches the schema.", pretty };
  const e = validate.errors?.[0];
  return { ok: false, reason: `Does not match the schema: ${e?.instancePath || "the value"} ${e?.message ?? "is invalid"}.`, pretty };
}

export const exampleSchema = JSON.stringify(
  { type: "object", properties: { city: { type: "string" }, population: { type: "integer", minimum: 0 } }, required: ["city", "population"], additionalProperties: false },
  null,
  2,
);

/** Tool definitions typed in the playground: a JSON array of functions, each with a valid schema. */
export function checkTools(text: string): string | undefined {
  if (!text.trim()) return undefined;
  let tools: unknown;
  try {
    tools = JSON.parse(text);
  } catch (err) {
    return `Not JSON: ${(err as Error).message}`;
  }
  if (!Array.isArray(tools)) return "Tools are a JSON array.";
  for (const [i, t] of tools.entries()) {
    const fn = (t as { function?: { name?: unknown; parameters?: unknown } })?.function;
    if (!fn || typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) return `Tool ${i + 1}: needs function.name (letters, digits, _ or -).`;
    if (fn.parameters !== undefined) {
      try {
        ajv.compile(fn.parameters as object);
      } catch (err) {
        return `Tool ${i + 1} (${fn.name}): parameters are not a valid JSON Schema: ${(err as Error).message}`;
      }
    }
  }
  return undefined;
}

export const exampleTools = JSON.stringify(
  [
    { type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    { type: "function", function: { name: "get_time", description: "Local time in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
  ],
  null,
  2,
);
