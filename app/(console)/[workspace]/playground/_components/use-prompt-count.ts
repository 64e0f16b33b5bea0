"use client";
// The prompt's token count and cost, re-counted (debounced) as the person types.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

type Count = { prompt_tokens: number; max_context_length: number; estimated_cost: number };

export function usePromptCount(workspace: string, model: string, messages: { role: string; content: unknown }[]) {
  const body = messages.length ? JSON.stringify({ workspace, model, messages }) : null;
  // What is counted is what was there 400 ms ago: one request per pause, not per keystroke.
  const [debounced, setDebounced] = useState(body);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(body), 400);
    return () => clearTimeout(t);
  }, [body]);
  return useQuery({
    queryKey: ["prompt-count", debounced],
    enabled: debounced !== null,
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<Count | null> => {
      const res = await fetch("/api/playground/tokenize", { method: "POST", headers: { "content-type": "application/json" }, body: debounced!, signal });
      return res.ok ? ((await res.json()) as Count) : null;
    },
  });
}
