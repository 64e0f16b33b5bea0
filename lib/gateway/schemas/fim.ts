// Fill-in-the-middle and embeddings requests.
import { z } from "zod";
import { sampling } from "./chat";

export const fimRequest = z.looseObject({
  ...sampling,
  prompt: z.string({ message: "prompt is required." }),
  suffix: z.string().nullable().optional(),
  min_tokens: z.number().int().min(0).nullable().optional(),
});

export const embeddingsRequest = z.looseObject({
  model: sampling.model,
  input: z.union([z.string().min(1, "input must not be empty."), z.array(z.string()).min(1, "input must not be empty.").max(2048)]),
  output_dimension: z.number().int().min(1).nullable().optional(),
  output_dtype: z.enum(["float", "int8", "uint8", "binary", "ubinary"]).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
});
