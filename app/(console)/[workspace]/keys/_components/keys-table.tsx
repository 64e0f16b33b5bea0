"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { revokeKeyAction, rotateKeyAction } from "../actions";
import { EditKeyForm } from "./edit-key-form";
import { RotateKeyForm } from "./rotate-key-form";
import { SecretReveal } from "./secret-reveal";
import { TableHead } from "@/components/ui/table-head";

type KeyRow = { id: string; name: string; prefix: string; allowedModels: string[] | null; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null; createdAt: string; rpm: number | null; tpm: number | null; maxConcurrent: number | null; monthlyTokenQuota: number | null; monthlySpendQuotaNanos: number | null; replacedById: string | null; monthTokens: number; monthCost: number; modelLimits: { model: string; rpm?: number | null; tpm?: number | null }[] };

function QuotaBar({ used, quota, label }: { used: number; quota: number; label: string }) {
  const share = Math.min(1, used / quota);
  return (
    <div className="mt-1 h-1.5 rounded bg-zinc-200 dark:bg-zinc-800" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
      <div className={`h-1.5 rounded ${share > 0.9 ? "bg-red-500" : share > 0.75 ? "bg-amber-500" : "bg-brand-500"}`} style={{ width: `${Math.max(share * 100, 1)}%` }} />
    </div>
  );
}

const dollars = (usd: number) => `$${usd.toFixed(usd < 1 ? 4 : 2)}`;

// This month's tokens and spend, each against its monthly quota when the key has one.
function MonthBar({ k }: { k: KeyRow }) {
  const spendQuota = k.monthlySpendQuotaNanos ? k.monthlySpendQuotaNanos / 1e9 : null;
  return (
    <div className="mt-1 w-40" data-testid={`month-${k.prefix}`}>
      <div className="text-xs text-zinc-500">
        {k.monthTokens.toLocaleString("en-US")} tokens{k.monthlyTokenQuota ? ` of ${k.monthlyTokenQuota.toLocaleString("en-US")}` : ""} · {dollars(k.monthCost)}
        {spendQuota ? ` of ${dollars(spendQuota)}` : ""} this month
      </div>
      {k.monthlyTokenQuota ? <QuotaBar used={k.monthTokens} quota={k.monthlyTokenQuota} label="Monthly quota used" /> : null}
      {spendQuota ? <QuotaBar used={k.monthCost} quota={spendQuota} label="Monthly spend quota used" /> : null}
    </div>
  );
}

function limits(k: KeyRow): string {
  const perModel = k.modelLimits.map((m) => `${m.model}: ${[m.rpm ? `${m.rpm} req/min` : "", m.tpm ? `${m.tpm} tok/min` : ""].filter(Boolean).join(", ")}`);
  const parts = [k.rpm ? `${k.rpm.toLocaleString("en-US")} req/min` : "", k.tpm ? `${k.tpm.toLocaleString("en-US")} tok/min` : "", k.maxConcurrent ? `${k.maxConcurrent} at once` : "", k.monthlyTokenQuota ? `${k.monthlyTokenQuota.toLocaleString("en-US")} tok/month` : "", k.monthlySpendQuotaNanos ? `${dollars(k.monthlySpendQuotaNanos / 1e9)}/month` : "", ...perModel].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No limits";
}

function status(k: KeyRow): { label: string; tone: string } {
  if (k.revokedAt) return { label: "Revoked", tone: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" };
  const ended = k.expiresAt && new Date(k.expiresAt).getTime() < Date.now();
  if (k.replacedById) return { label: ended ? "Rotated" : "Rotating", tone: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300" };
  if (ended) return { label: "Expired", tone: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300" };
  return { label: "Active", tone: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" };
}

export function KeysTable({ workspace, keys, canManage }: { workspace: string; keys: KeyRow[]; canManage: boolean }) {
  const revoke = useFormAction(revokeKeyAction);
  const rotate = useFormAction(rotateKeyAction);
  const rotated = rotate.result.data;
  const [editing, setEditing] = useState<string | null>(null);
  const [rotating, setRotating] = useState<string | null>(null);
  return (
    <Card>
      {rotated ? (
        <div className="border-b border-zinc-200 dark:border-zinc-800">
          <p className="px-5 pt-4 text-sm">
            New key <span className="font-mono">bora_{rotated.prefix}_…</span>; the old secret works until {new Date(rotated.oldKeyExpiresAt).toLocaleString()}.
          </p>
          <SecretReveal secret={rotated.secret} />
        </div>
      ) : null}
      {rotate.serverError ? (
        <p role="alert" className="border-b border-red-200 px-5 py-3 text-sm text-red-600">
          {rotate.serverError.message}
        </p>
      ) : null}
      {revoke.serverError ? (
        <p role="alert" className="border-b border-red-200 px-5 py-3 text-sm text-red-600">
          {revoke.serverError.message}
        </p>
      ) : null}
      <table className="w-full text-sm" data-testid="keys-table">
        <TableHead columns={[{ label: "Name" }, { label: "Models and limits" }, { label: "Last used" }, { label: "Status" }, { label: "Actions", hidden: true }]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {keys.map((k) => {
            const s = status(k);
            return (
              <Fragment key={k.id}>
                <tr data-testid={`key-${k.prefix}`}>
                  <td className="px-5 py-3">
                    <Link href={`/${workspace}/keys/${k.id}`} className="font-medium hover:underline">
                      {k.name}
                    </Link>
                    <div className="font-mono text-xs text-zinc-500">bora_{k.prefix}_…</div>
                  </td>
                  <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">
                    <div>{k.allowedModels ? k.allowedModels.join(", ") : "All models"}</div>
                    <div className="text-xs text-zinc-500">{limits(k)}</div>
                    <MonthBar k={k} />
                  </td>
                  <td className="px-5 py-3 text-zinc-500">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "Never"}</td>
                  <td className="px-5 py-3">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${s.tone}`}>{s.label}</span>
                    {k.expiresAt && !k.revokedAt ? <div className="mt-1 text-xs text-zinc-500">until {new Date(k.expiresAt).toLocaleDateString()}</div> : null}
                  </td>
                  <td className="px-5 py-3 text-right">
                    {canManage && !k.revokedAt && !k.replacedById ? (
                      <div className="flex flex-wrap justify-end gap-2">
                        <Button variant="ghost" aria-label={`Edit ${k.name}`} aria-expanded={editing === k.id} onClick={() => setEditing(editing === k.id ? null : k.id)}>
                          Edit
                        </Button>
                        <Button variant="secondary" aria-label={`Rotate ${k.name}`} aria-expanded={rotating === k.id} title="A new secret; the old one keeps working for a grace period you choose" onClick={() => setRotating(rotating === k.id ? null : k.id)}>
                          Rotate
                        </Button>
                        <ConfirmButton
                          disabled={revoke.isPending}
                          label={`Revoke ${k.name}`}
                          question={`Revoke "${k.name}"? Clients using it get 401 within seconds.`}
                          onConfirm={() => revoke.execute({ workspace, id: k.id })}
                        >
                          Revoke
                        </ConfirmButton>
                      </div>
                    ) : null}
                  </td>
                </tr>
                {rotating === k.id ? (
                  <tr>
                    <td colSpan={5}>
                      <RotateKeyForm
                        name={k.name}
                        pending={rotate.isPending}
                        onCancel={() => setRotating(null)}
                        onRotate={(graceMinutes) => {
                          rotate.execute({ workspace, key: k.id, graceMinutes });
                          setRotating(null);
                        }}
                      />
                    </td>
                  </tr>
                ) : null}
                {editing === k.id ? (
                  <tr>
                    <td colSpan={5}>
                      <EditKeyForm workspace={workspace} k={k} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
