"use client";
// The batch wizard: a CSV and a prompt template with its columns as variables (or a JSONL file
// of requests) → a preview of the first requests, each openable in the playground → the cost at
// the batch price → submit. Requests are built here with the same module the tests check, then
// uploaded as a JSONL file; the CSV is uploaded too, so results can be joined back onto it.
import { useRouter } from "next/navigation";
import Papa from "papaparse";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { WizardFinish, WizardSteps } from "@/components/ui/wizard";
import { controlClass, Field, Select, TextInput } from "@/components/ui/field";
import { useFormAction } from "@/components/forms/use-form-action";
import { requestsFromCsv, unknownVariables, type BatchRequestLine, type CsvRow } from "@/lib/batch/from-csv";
import { createBatchAction } from "../actions";

type Model = { alias: string; input: number; output: number; factor: number };
type Sheet = { name: string; text: string; columns: string[]; rows: CsvRow[] };
type Jsonl = { name: string; text: string; requests: BatchRequestLine[] };

// A JSONL file of requests is read here for the preview and the estimate; every line is checked
// again by the API when the batch is created, with line numbers.
function readJsonl(text: string): { requests: BatchRequestLine[]; problem?: string } {
  const requests: BatchRequestLine[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    if (!rows[i]!.trim()) continue;
    try {
      const v = JSON.parse(rows[i]!) as { custom_id?: unknown; body?: unknown };
      if (!v.body || typeof v.body !== "object") return { requests, problem: `Line ${i + 1}: needs a "body" object (the request).` };
      requests.push({ custom_id: String(v.custom_id ?? i), body: v.body as Record<string, unknown> });
    } catch {
      return { requests, problem: `Line ${i + 1}: not valid JSON.` };
    }
  }
  return requests.length ? { requests } : { requests, problem: "The file has no requests." };
}

export function BatchWizard({ workspace, models }: { workspace: string; models: Model[] }) {
  const router = useRouter();
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [source, setSource] = useState<"csv" | "jsonl">("csv");
  const [jsonl, setJsonl] = useState<Jsonl | null>(null);
  const [jsonlError, setJsonlError] = useState<string>();
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [sheetError, setSheetError] = useState<string>();
  const [model, setModel] = useState(models[0]?.alias ?? "");
  const [system, setSystem] = useState("");
  const [template, setTemplate] = useState("");
  const [maxTokens, setMaxTokens] = useState("256");
  const [schemaText, setSchemaText] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string>();
  const create = useFormAction(createBatchAction, { onSuccess: ({ data }) => data && router.push(`/${workspace}/batches/${data.id}`) });

  async function choose(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    const parsed = Papa.parse<CsvRow>(text, { header: true, skipEmptyLines: true });
    if (!parsed.meta.fields?.length || parsed.data.length === 0) {
      setSheet(null);
      setSheetError("This file has no header row or no data rows.");
      return;
    }
    setSheetError(undefined);
    setSheet({ name: file.name, text, columns: parsed.meta.fields, rows: parsed.data });
    if (!template) setTemplate(parsed.meta.fields.map((c) => `${c}: {{${c}}}`).join("\n"));
  }

  async function chooseJsonl(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    const read = readJsonl(text);
    setJsonlError(read.problem);
    setJsonl(read.problem ? null : { name: file.name, text, requests: read.requests });
  }

  const unknown = sheet ? unknownVariables(template, sheet.columns) : [];
  const templateError = !template.trim() ? "Write the prompt; use {{column}} for a row's value." : unknown.length ? `Not a column of the CSV: ${unknown.join(", ")}.` : undefined;
  let schema: Record<string, unknown> | null = null;
  let schemaError: string | undefined;
  if (schemaText.trim()) {
    try {
      schema = JSON.parse(schemaText) as Record<string, unknown>;
      if (typeof schema !== "object" || Array.isArray(schema)) schemaError = "A JSON Schema is an object.";
    } catch (err) {
      schemaError = `Not valid JSON: ${(err as Error).message}`;
    }
  }
  const tokens = Number(maxTokens);
  const tokensError = !Number.isInteger(tokens) || tokens < 1 || tokens > 100_000 ? "A whole number from 1 to 100,000." : undefined;
  const fromSheet: BatchRequestLine[] = useMemo(
    () => (sheet && !templateError && !schemaError && !tokensError ? requestsFromCsv(sheet.rows, { template, system, model, maxTokens: tokens, schema }) : []),
    // schema is derived from schemaText
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sheet, template, system, model, tokens, schemaText, templateError, schemaError, tokensError],
  );
  const requests = useMemo(() => (source === "jsonl" ? (jsonl?.requests ?? []) : fromSheet), [source, jsonl, fromSheet]);

  const price = models.find((m) => m.alias === model);
  const estimate = useMemo(() => {
    const inTokens = requests.reduce((n, r) => n + Math.ceil(JSON.stringify((r.body as { messages: unknown }).messages).length / 4), 0);
    const outTokens = requests.reduce((n, r) => n + (Number((r.body as { max_tokens?: unknown }).max_tokens) || tokens || 0), 0);
    const list = price ? (inTokens * price.input + outTokens * price.output) / 1e6 : 0;
    return { inTokens, outTokens, list, batch: list * (price?.factor ?? 1) };
  }, [requests, tokens, price]);

  async function upload(name: string, body: string, type: string): Promise<string> {
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([body], { type }), name);
    const res = await fetch(`/api/console/files?workspace=${encodeURIComponent(workspace)}`, { method: "POST", body: form });
    const json = (await res.json()) as { id?: string; message?: string };
    if (!res.ok || !json.id) throw new Error(json.message ?? `Upload failed (${res.status}).`);
    return json.id;
  }

  async function submit() {
    setUploadError(undefined);
    try {
      if (source === "jsonl" && jsonl) {
        setBusy("Uploading the requests…");
        const fileId = await upload(jsonl.name, jsonl.text, "application/jsonl");
        setBusy("Starting the batch…");
        create.execute({ workspace, fileId, endpoint: "/v1/chat/completions", model });
        return;
      }
      if (!sheet) return;
      setBusy("Uploading the spreadsheet…");
      const csvFileId = await upload(sheet.name, sheet.text, "text/csv");
      setBusy("Uploading the requests…");
      const fileId = await upload(sheet.name.replace(/\.csv$/i, "") + ".requests.jsonl", requests.map((r) => JSON.stringify(r)).join("\n") + "\n", "application/jsonl");
      setBusy("Starting the batch…");
      create.execute({ workspace, fileId, csvFileId, endpoint: "/v1/chat/completions", model });
    } catch (err) {
      setUploadError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(2)}`);
  const playground = (r: BatchRequestLine) => {
    const msgs = (r.body as { messages: { role: string; content: string }[] }).messages;
    const q = new URLSearchParams({ model, prompt: msgs.at(-1)!.content, ...(system ? { system } : {}) });
    return `/${workspace}/playground?${q}`;
  };

  return (
    <div className="space-y-6">
      <WizardSteps labels={["Spreadsheet and prompt", "Preview", "Cost and submit"]} step={step} />

      {step === 1 ? (
        <Card title="Spreadsheet and prompt" description="One request per row: the template's {{column}} variables take the row's values.">
          <fieldset className="flex gap-4 px-5 pt-5 text-sm">
            <legend className="sr-only">Source of the requests</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="source" checked={source === "csv"} onChange={() => setSource("csv")} /> A spreadsheet and a template
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="source" checked={source === "jsonl"} onChange={() => setSource("jsonl")} /> A JSONL file of requests
            </label>
          </fieldset>
          {source === "jsonl" ? (
            <div className="grid gap-4 p-5 sm:grid-cols-2">
              <Field id="jsonl" label="JSONL file" error={jsonlError} hint={jsonl ? `${jsonl.requests.length} requests` : 'One {"custom_id": "…", "body": {…chat request…}} per line.'}>
                <input id="jsonl" type="file" accept=".jsonl,application/jsonl,application/x-ndjson" onChange={(e) => void chooseJsonl(e.target.files?.[0])} className={controlClass} />
              </Field>
              <Field id="model" label="Model" hint="For lines whose body names no model.">
                <Select id="model" value={model} onChange={(e) => setModel(e.target.value)}>
                  {models.map((m) => (
                    <option key={m.alias}>{m.alias}</option>
                  ))}
                </Select>
              </Field>
            </div>
          ) : (
          <div className="grid gap-4 p-5 sm:grid-cols-2">
            <Field id="csv" label="CSV file" error={sheetError} hint={sheet ? `${sheet.rows.length} rows; columns: ${sheet.columns.join(", ")}` : "With a header row."}>
              <input id="csv" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} className={controlClass} />
            </Field>
            <Field id="model" label="Model">
              <Select id="model" value={model} onChange={(e) => setModel(e.target.value)}>
                {models.map((m) => (
                  <option key={m.alias}>{m.alias}</option>
                ))}
              </Select>
            </Field>
            <Field id="system" label="System prompt (optional)">
              <textarea id="system" value={system} onChange={(e) => setSystem(e.target.value)} rows={3} className={controlClass} />
            </Field>
            <Field id="template" label="Prompt template" error={sheet ? templateError : undefined} hint="For example: Summarise this review in one line: {{review}}">
              <textarea id="template" value={template} onChange={(e) => setTemplate(e.target.value)} rows={3} className={`${controlClass} font-mono`} aria-invalid={sheet && templateError ? true : undefined} />
            </Field>
            <Field id="maxTokens" label="Max tokens per answer" error={tokensError}>
              <TextInput id="maxTokens" inputMode="numeric" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
            </Field>
            <Field id="schema" label="JSON schema for answers (optional)" error={schemaError} hint="Answers are then JSON that follows it.">
              <textarea id="schema" value={schemaText} onChange={(e) => setSchemaText(e.target.value)} rows={3} className={`${controlClass} font-mono`} />
            </Field>
          </div>
          )}
          <div className="flex justify-end border-t border-zinc-200 p-5 dark:border-zinc-800">
            <Button disabled={!requests.length} onClick={() => setStep(2)}>
              Preview
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 2 ? (
        <Card title="Preview" description={`The first ${Math.min(5, requests.length)} of ${requests.length} requests, exactly as they will be sent.`}>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="batch-preview">
            {requests.slice(0, 5).map((r) => (
              <li key={r.custom_id} className="space-y-2 p-5">
                <div className="flex items-center justify-between">
                  <span className="font-mono text-xs text-zinc-500">{r.custom_id}</span>
                  <a href={playground(r)} target="_blank" rel="noreferrer" className="text-sm text-brand-700 underline-offset-2 hover:underline dark:text-brand-500">
                    Open in playground
                  </a>
                </div>
                <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-900">{JSON.stringify(r.body, null, 2)}</pre>
              </li>
            ))}
          </ul>
          <div className="flex justify-between border-t border-zinc-200 p-5 dark:border-zinc-800">
            <Button variant="secondary" onClick={() => setStep(1)}>
              Back
            </Button>
            <Button onClick={() => setStep(3)}>Continue</Button>
          </div>
        </Card>
      ) : null}

      {step === 3 ? (
        <Card title="Cost and submit">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 p-5 text-sm" data-testid="batch-estimate">
            <dt className="text-zinc-500">Requests</dt>
            <dd>{requests.length.toLocaleString("en-US")}</dd>
            <dt className="text-zinc-500">Tokens (about)</dt>
            <dd>
              {estimate.inTokens.toLocaleString("en-US")} in, up to {estimate.outTokens.toLocaleString("en-US")} out
            </dd>
            <dt className="text-zinc-500">At most, at list price</dt>
            <dd className="text-zinc-500 line-through">{usd(estimate.list)}</dd>
            <dt className="text-zinc-500">At most, at the batch price</dt>
            <dd className="font-semibold">
              {usd(estimate.batch)} ({Math.round((1 - (price?.factor ?? 1)) * 100)}% off)
            </dd>
          </dl>
          <WizardFinish error={uploadError ?? create.formError ?? create.serverError?.message} busy={busy} pending={create.isPending} onBack={() => setStep(2)} onSubmit={() => void submit()} label="Submit batch" />
        </Card>
      ) : null}
    </div>
  );
}
