// /[workspace]: the playground is where a workspace starts.
import { redirect } from "next/navigation";

export default async function WorkspaceHome({ params }: { params: Promise<{ workspace: string }> }) {
  redirect(`/${(await params).workspace}/playground`);
}
