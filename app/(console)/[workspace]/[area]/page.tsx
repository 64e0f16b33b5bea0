// /[workspace]/[area]: areas whose features have not landed yet show what they will hold.
// A folder for a real area (members/, settings/, …) takes precedence over this route.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AreaPlaceholder } from "@/components/shell/area-placeholder";
import { requireWorkspace } from "@/lib/auth/session";
import { areas } from "@/lib/console/areas";

type Props = { params: Promise<{ workspace: string; area: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { area: segment } = await params;
  const area = areas.find((a) => a.segment === segment);
  return { title: area?.label ?? "Not found" };
}

export default async function AreaPage({ params }: Props) {
  const { workspace, area: segment } = await params;
  const area = areas.find((a) => a.segment === segment);
  if (!area) notFound();
  await requireWorkspace(workspace, area.permission);
  return <AreaPlaceholder segment={segment} />;
}
