// datasets validate: the same line-by-line check as the API and the console wizard, on a local
// file, with the model's real tokenizer. Needs no server; exits 1 when a line is bad.
import fs from "node:fs";
import { validateDataset } from "@/lib/datasets/validate";
import { countTokens } from "@/lib/gateway/tokens";
import { need, str, UsageError, type Command } from "../command";

export const datasetCommands: Record<string, Command> = {
  "datasets validate": {
    summary: "check a fine-tuning JSONL file line by line (no server needed)",
    usage: "--file PATH [--model ALIAS]",
    local: true,
    async run(_client, flags) {
      const file = need(flags, "file");
      if (!fs.existsSync(file)) throw new UsageError(`No file at ${file}.`);
      const model = str(flags, "model") ?? "open-mistral-nemo";
      const report = validateDataset(fs.readFileSync(file, "utf8"), { countTokens: (t) => countTokens(model, t) });
      return {
        data: report,
        exitCode: report.errors.length ? 1 : 0,
        text: () => {
          console.log(`${report.lines} lines, ${report.validLines} valid, ${report.totalTokens} tokens (${model}), ${report.duplicates.length} duplicates.`);
          for (const e of report.errors) console.log(`line ${e.line}${e.field ? ` ${e.field}` : ""}: ${e.reason}`);
          if (report.truncatedErrors) console.log(`… and ${report.truncatedErrors} more.`);
        },
      };
    },
  },
};
