// Batch requests from a spreadsheet: a prompt template whose {{column}} variables take each
// row's values, with a system prompt and an optional JSON schema for the answers. Pure, so the
// console's wizard previews exactly what will be sent. custom_id is the row number, which is how
// results join back onto the CSV.
export type CsvRow = Record<string, string>;
export type TemplateOptions = { template: string; system?: string; model: string; maxTokens?: number; temperature?: number; schema?: Record<string, unknown> | null };
export type BatchRequestLine = { custom_id: string; body: Record<string, unknown> };

const variable = /\{\{\s*([^}]+?)\s*\}\}/g;

export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(variable)].map((m) => m[1]!))];
}

/** The template's variables that are not columns of the CSV (each one is a mistake to show). */
export function unknownVariables(template: string, columns: string[]): string[] {
  return templateVariables(template).filter((v) => !columns.includes(v));
}

export function renderTemplate(template: string, row: CsvRow): string {
  return template.replace(variable, (_, name: string) => row[name.trim()] ?? "");
}

export const rowId = (index: number) => `row-${index + 1}`;

export function requestsFromCsv(rows: CsvRow[], o: TemplateOptions): BatchRequestLine[] {
  return rows.map((row, i) => ({
    custom_id: rowId(i),
    body: {
      model: o.model,
      messages: [...(o.system ? [{ role: "system", content: o.system }] : []), { role: "user", content: renderTemplate(o.template, row) }],
      ...(o.maxTokens ? { max_tokens: o.maxTokens } : {}),
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.schema ? { response_format: { type: "json_schema", json_schema: { name: "answer", schema: o.schema, strict: true } } } : {}),
    },
  }));
}
