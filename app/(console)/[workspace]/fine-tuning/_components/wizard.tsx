"use client";
// The fine-tuning wizard: dataset → model and hyperparameters (with an estimate) → confirm.
// The dataset is checked here, in the browser, with the same module the API uses; the files are
// uploaded only at the end, split into training and validation sets.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { WizardFinish, WizardSteps } from "@/components/ui/wizard";
import { Field, Select, TextInput } from "@/components/ui/field";
import { useFormAction } from "@/components/forms/use-form-action";
import { estimateTraining, HYPERPARAMETER_HELP } from "@/lib/datasets/estimate";
import { splitTrainValidation } from "@/lib/datasets/split";
import { validateDataset, type DatasetReport } from "@/lib/datasets/validate";
import { createJobAction } from "../actions";
import { DatasetReportView } from "./dataset-report";

type BaseModel = { alias: string; trainingPrice: number };
type Dataset = { name: string; text: string; lines: string[]; report: DatasetReport; fileId?: string };
type Uploaded = { id: string; filename: string; lines: number | null; url: string };

// A rough training throughput for the duration shown before the job runs.
const assumedTokensPerSecond = 2_000;

export function Wizard({ workspace, models, uploaded = [] }: { workspace: string; models: BaseModel[]; uploaded?: Uploaded[] }) {
  const router = useRouter();
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [model, setModel] = useState(models[0]?.alias ?? "");
  const [steps, setSteps] = useState("100");
  const [rate, setRate] = useState("0.0001");
  const [suffix, setSuffix] = useState("");
  const [validationShare, setValidationShare] = useState("10");
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const create = useFormAction(createJobAction, {
    onSuccess: ({ data }) => data && router.push(`/${workspace}/fine-tuning/${data.id}`),
    // A setting the server refused is shown beside its field, on the step that has it.
    onError: ({ error }) => {
      if (error.validationErrors || error.serverError?.field) setStep(2);
    },
  });

  async function choose(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    setDataset({ name: file.name, text, lines: text.replace(/^\uFEFF/, "").split(/\r?\n/), report: validateDataset(text) });
  }

  // A file uploaded earlier is checked the same way, then trained on as it is (no new upload).
  async function pick(id: string) {
    const file = uploaded.find((f) => f.id === id);
    if (!file) return setDataset(null);
    const res = await fetch(file.url);
    const text = res.ok ? await res.text() : "";
    setDataset({ name: file.filename, text, lines: text.replace(/^\uFEFF/, "").split(/\r?\n/), report: validateDataset(text), fileId: file.id });
  }

  const price = models.find((m) => m.alias === model)?.trainingPrice ?? 0;
  const estimate = useMemo(() => {
    if (!dataset) return null;
    try {
      return estimateTraining({ datasetTokens: dataset.report.totalTokens, hyperparameters: { training_steps: Number(steps) || null }, pricePerMillionTrainingTokens: price, tokensPerSecond: assumedTokensPerSecond });
    } catch {
      return null;
    }
  }, [dataset, steps, price]);

  async function upload(name: string, text: string): Promise<string> {
    const form = new FormData();
    form.append("purpose", "fine-tune");
    form.append("file", new Blob([text], { type: "application/jsonl" }), name);
    const res = await fetch(`/api/console/files?workspace=${encodeURIComponent(workspace)}`, { method: "POST", body: form });
    const body = (await res.json()) as { id?: string; message?: string };
    if (!res.ok || !body.id) throw new Error(body.message ?? `Upload failed (${res.status}).`);
    return body.id;
  }

  async function start() {
    if (!dataset) return;
    setUploadError(null);
    try {
      if (dataset.fileId) {
        setUploading("Creating the job…");
        create.execute({ workspace, model, trainingFileId: dataset.fileId, trainingSteps: Number(steps), learningRate: Number(rate), suffix: suffix || undefined });
        return;
      }
      const data = dataset.lines.filter((l) => l.trim());
      const share = Math.min(50, Math.max(0, Number(validationShare) || 0)) / 100;
      const split = splitTrainValidation(data.length, share, dataset.name);
      const base = dataset.name.replace(/\.jsonl$/i, "");
      setUploading("Uploading the training set…");
      const trainingFileId = await upload(`${base}.train.jsonl`, split.train.map((i) => data[i]).join("\n") + "\n");
      let validationFileId: string | undefined;
      if (split.validation.length) {
        setUploading("Uploading the validation set…");
        validationFileId = await upload(`${base}.valid.jsonl`, split.validation.map((i) => data[i]).join("\n") + "\n");
      }
      setUploading("Creating the job…");
      create.execute({ workspace, model, trainingFileId, validationFileId, trainingSteps: Number(steps), learningRate: Number(rate), suffix: suffix || undefined });
    } catch (err) {
      setUploadError((err as Error).message);
    } finally {
      setUploading(null);
    }
  }

  const stepLabel = ["Dataset", "Model and hyperparameters", "Confirm"];
  return (
    <div className="space-y-6">
      <WizardSteps labels={stepLabel} step={step} />

      {step === 1 ? (
        <Card title="Dataset" description='A JSONL file: one conversation per line, {"messages": [...]}, ending with the assistant answer to learn.'>
          <div className="space-y-4 p-5">
            <label
              htmlFor="dataset"
              className="flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed border-zinc-300 p-8 text-sm text-zinc-600 hover:border-brand-500 focus-within:border-brand-500 dark:border-zinc-700 dark:text-zinc-400"
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                void choose(e.dataTransfer.files[0]);
              }}
            >
              <span className="font-medium">{dataset ? dataset.name : "Drop a .jsonl file here, or choose one"}</span>
              <input id="dataset" type="file" accept=".jsonl,application/jsonl,application/x-ndjson,text/plain" className="sr-only" onChange={(e) => void choose(e.target.files?.[0])} />
            </label>
            {uploaded.length ? (
              <Field id="uploaded" label="Or pick an uploaded file" hint="Trained on as it is, without a validation set.">
                <Select id="uploaded" value={dataset?.fileId ?? ""} onChange={(e) => void pick(e.target.value)}>
                  <option value="">—</option>
                  {uploaded.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.filename} {f.lines !== null ? `(${f.lines} lines)` : ""}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            {dataset ? <DatasetReportView report={dataset.report} lines={dataset.lines} /> : null}
            <div className="flex justify-end">
              <Button disabled={!dataset || dataset.report.errors.length > 0 || dataset.report.validLines === 0} onClick={() => setStep(2)}>
                Continue
              </Button>
            </div>
          </div>
        </Card>
      ) : null}

      {step === 2 && dataset ? (
        <Card title="Model and hyperparameters">
          <div className="grid gap-4 p-5 sm:grid-cols-2">
            <Field id="model" label="Base model" error={create.fieldError("model")} hint={models.length ? "Models this workspace can fine-tune." : "No model here can be fine-tuned: it needs a La Plateforme deployment, or a trainer command."}>
              <Select id="model" value={model} onChange={(e) => setModel(e.target.value)}>
                {models.map((m) => (
                  <option key={m.alias}>{m.alias}</option>
                ))}
              </Select>
            </Field>
            <Field id="suffix" label="Suffix (optional)" error={create.fieldError("suffix")} hint="Goes into the new model's name: ft:<model>:<suffix>:<id>.">
              <TextInput id="suffix" value={suffix} onChange={(e) => setSuffix(e.target.value)} maxLength={18} />
            </Field>
            <Field id="trainingSteps" label="Training steps" error={create.fieldError("trainingSteps")} hint={HYPERPARAMETER_HELP.training_steps}>
              <TextInput id="trainingSteps" inputMode="numeric" value={steps} onChange={(e) => setSteps(e.target.value)} />
            </Field>
            <Field id="learningRate" label="Learning rate" error={create.fieldError("learningRate")} hint={HYPERPARAMETER_HELP.learning_rate}>
              <TextInput id="learningRate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} />
            </Field>
            <Field id="validationShare" label="Validation share (%)" hint={dataset.fileId ? "An uploaded file is trained on whole." : "Lines held out to measure validation loss; chosen at random, the same way each time for this file."}>
              <TextInput id="validationShare" inputMode="numeric" value={dataset.fileId ? "0" : validationShare} disabled={Boolean(dataset.fileId)} onChange={(e) => setValidationShare(e.target.value)} />
            </Field>
            <div className="rounded-md border border-zinc-200 p-4 text-sm dark:border-zinc-800" data-testid="estimate">
              <p className="mb-2 font-medium">Estimate</p>
              {estimate ? (
                <ul className="space-y-1 text-zinc-600 dark:text-zinc-400">
                  <li>{estimate.trainTokens.toLocaleString("en-US")} training tokens ({estimate.epochs.toFixed(1)} passes over the data)</li>
                  <li>About {Math.max(1, Math.round(estimate.expectedDurationSeconds / 60))} min of training</li>
                  <li>{price ? `$${estimate.cost.toFixed(2)}` : "No training price set for this model: free here"}</li>
                </ul>
              ) : (
                <p className="text-zinc-500">Give a whole number of steps.</p>
              )}
            </div>
          </div>
          <div className="flex justify-between border-t border-zinc-200 p-5 dark:border-zinc-800">
            <Button variant="secondary" onClick={() => setStep(1)}>
              Back
            </Button>
            <Button disabled={!model || !estimate} onClick={() => setStep(3)}>
              Continue
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 3 && dataset ? (
        <Card title="Confirm">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 p-5 text-sm sm:grid-cols-4">
            <dt className="text-zinc-500">Dataset</dt>
            <dd>{dataset.name} ({dataset.report.validLines} lines)</dd>
            <dt className="text-zinc-500">Base model</dt>
            <dd>{model}</dd>
            <dt className="text-zinc-500">Steps</dt>
            <dd>{steps}</dd>
            <dt className="text-zinc-500">Learning rate</dt>
            <dd>{rate}</dd>
          </dl>
          <WizardFinish error={uploadError ?? create.formError} busy={uploading} pending={create.isPending} onBack={() => setStep(2)} onSubmit={() => void start()} label="Start fine-tuning" />
        </Card>
      ) : null}
    </div>
  );
}
