// Validates a whole instruct dataset (JSONL text) for fine-tuning: the one check shared by the API,
// the console wizard (in the browser) and the CLI, so all three report the same errors.
import { validateInstructLine, type InstructLine } from "./instruct-line";
import { countLineTokens, estimateTokens, type CountTokens } from "./line-tokens";

export type DatasetError = {
  line: number; // 1-based line number in the file, blank lines included, as an editor shows it
  field: string | null; // null when the whole line is wrong (bad JSON, not an object)
  reason: string;
};

export type DatasetReport = {
  lines: number; // non-empty lines
  validLines: number;
  errors: DatasetError[]; // at most maxErrors
  truncatedErrors: number; // errors beyond maxErrors, counted but not listed
  tokensPerLine: number[]; // one entry per valid line, in file order
  totalTokens: number;
  duplicates: { line: number; sameAs: number }[]; // a line equal to an earlier one once parsed; a warning, not an error
  sampleType: "instruct";
};

export type ValidateDatasetOptions = {
  countTokens?: CountTokens; // defaults to estimateTokens (about 4 characters a token)
  maxErrors?: number; // defaults to 100: enough to fix a file, small enough for a response body
};

export const DEFAULT_MAX_ERRORS = 100;

export function validateDataset(text: string, options: ValidateDatasetOptions = {}): DatasetReport {
  const countTokens = options.countTokens ?? estimateTokens;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const report: DatasetReport = { lines: 0, validLines: 0, errors: [], truncatedErrors: 0, tokensPerLine: [], totalTokens: 0, duplicates: [], sampleType: "instruct" };
  const addError = (error: DatasetError) => {
    if (report.errors.length < maxErrors) report.errors.push(error);
    else report.truncatedErrors++;
  };
  const firstSeen = new Map<string, number>(); // normalised line → its first line number

  // Editors on Windows save a BOM and CRLF line ends; neither is part of the data.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  body.split("\n").forEach((raw, index) => {
    const row = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (row.trim() === "") return;
    const line = index + 1;
    report.lines++;

    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      addError({ line, field: null, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const key = canonicalJson(value);
    const sameAs = firstSeen.get(key);
    if (sameAs === undefined) firstSeen.set(key, line);
    else report.duplicates.push({ line, sameAs });

    const issues = validateInstructLine(value);
    if (issues.length > 0) {
      for (const issue of issues) addError({ line, ...issue });
      return;
    }
    const tokens = countLineTokens(value as InstructLine, countTokens);
    report.validLines++;
    report.tokensPerLine.push(tokens);
    report.totalTokens += tokens;
  });

  // An empty file would otherwise pass with no errors; there is nothing to train on.
  if (report.lines === 0) addError({ line: 1, field: null, reason: "the file has no data lines: expected one JSON object per line" });
  return report;
}

// Key order and whitespace do not make two samples different, so both are normalised away.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
