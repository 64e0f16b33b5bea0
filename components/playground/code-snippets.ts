// The playground's current request as code to paste: curl, TypeScript (@mistralai/mistralai)
// and Python (mistralai), with the key read from the environment, never written out.
export type SnippetRequest = { model: string; messages: { role: string; content: string }[]; temperature?: number; top_p?: number; max_tokens?: number; random_seed?: number };

const camel: Record<string, string> = { top_p: "topP", max_tokens: "maxTokens", random_seed: "randomSeed" };

function indent(json: string, by: string) {
  return json.split("\n").join(`\n${by}`);
}

export function curlSnippet(origin: string, req: SnippetRequest): string {
  const body = JSON.stringify(req, null, 2).replace(/'/g, "'\\''");
  return `curl ${origin}/v1/chat/completions \\\n  -H "Authorization: Bearer $BORA_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`;
}

export function typescriptSnippet(origin: string, req: SnippetRequest): string {
  const args = Object.fromEntries(Object.entries(req).map(([k, v]) => [camel[k] ?? k, v]));
  return `import { Mistral } from "@mistralai/mistralai";\n\nconst client = new Mistral({ apiKey: process.env.BORA_API_KEY, serverURL: "${origin}" });\n\nconst res = await client.chat.complete(${indent(JSON.stringify(args, null, 2), "")});\nconsole.log(res.choices?.[0]?.message?.content);`;
}

export function pythonSnippet(origin: string, req: SnippetRequest): string {
  const { messages, ...rest } = req;
  const kwargs = Object.entries(rest)
    .map(([k, v]) => `    ${k}=${JSON.stringify(v)},`)
    .join("\n");
  const msgs = JSON.stringify(messages, null, 4).replace(/\n/g, "\n    ");
  return `import os\nfrom mistralai import Mistral\n\nclient = Mistral(api_key=os.environ["BORA_API_KEY"], server_url="${origin}")\n\nres = client.chat.complete(\n${kwargs}\n    messages=${msgs},\n)\nprint(res.choices[0].message.content)`;
}
