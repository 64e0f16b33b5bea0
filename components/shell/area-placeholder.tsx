// The page of an area whose features are not built yet: its purpose and an honest empty state.
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { areaBySegment } from "@/lib/console/areas";

export function AreaPlaceholder({ segment }: { segment: string }) {
  const area = areaBySegment(segment);
  return (
    <>
      <PageHeader title={area.label} description={area.description} />
      <EmptyState icon={area.icon} title={area.emptyTitle}>
        <p>{area.emptyBody}</p>
      </EmptyState>
    </>
  );
}
