import { describe, expect, it } from "vitest";
import { renderTemplate, requestsFromCsv, templateVariables, unknownVariables } from "./from-csv";

describe("batch requests from a CSV and a template", () => {
  const rows = [
    { city: "Lyon", country: "France" },
    { city: "Graz", country: "Austria" },
  ];

  it("finds the template's variables and those the CSV lacks", () => {
    expect(templateVariables("Tell me about {{city}}, {{ country }} and {{city}}")).toEqual(["city", "country"]);
    expect(unknownVariables("{{city}} in {{region}}", ["city", "country"])).toEqual(["region"]);
  });

  it("fills each row into the template", () => {
    expect(renderTemplate("{{city}} is in {{ country }}.", rows[1]!)).toBe("Graz is in Austria.");
  });

  it("makes one chat request per row, numbered by row, with the system prompt and schema", () => {
    const schema = { type: "object", properties: { population: { type: "integer" } } };
    const lines = requestsFromCsv(rows, { template: "Population of {{city}}?", system: "Answer in JSON.", model: "small", maxTokens: 50, schema });
    expect(lines.map((l) => l.custom_id)).toEqual(["row-1", "row-2"]);
    expect(lines[0]!.body).toEqual({
      model: "small",
      messages: [
        { role: "system", content: "Answer in JSON." },
        { role: "user", content: "Population of Lyon?" },
      ],
      max_tokens: 50,
      response_format: { type: "json_schema", json_schema: { name: "answer", schema, strict: true } },
    });
    expect(requestsFromCsv(rows, { template: "{{city}}", model: "small" })[1]!.body).toEqual({ model: "small", messages: [{ role: "user", content: "Graz" }] });
  });
});
