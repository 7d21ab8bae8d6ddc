/** The AKI screens: `#/aki`, `#/aki-app/<id>[/edit]`, `#/aki-review`, `#/aki-review-app/<id>`, `#/aki-templates[/<categoryId>]`. */
import type { RouteId } from '../../app/store';
import { ApplicationsList } from './ApplicationsList';
import { ApplicationForm } from './ApplicationForm';
import { ReviewPage } from './ReviewPage';
import { TemplateEditor } from './TemplateEditor';
import { useHashParams } from './shared';

export { isCustomer, isSupplier } from './shared';
export const AKI_ROUTES = ['aki', 'aki-app', 'aki-review', 'aki-review-app', 'aki-templates'] as const;

export function AkiRoutes({ route }: { route: RouteId }) {
  const params = useHashParams();
  // The eye icon opens the details read-only; the pencil (…/edit) opens the form for editing.
  if (route === 'aki-app' && params[0]) return <ApplicationForm key={`${params[0]}/${params[1] ?? ''}`} applicationId={params[0]} readOnly={params[1] !== 'edit'} />;
  if (route === 'aki-review') return <ApplicationsList key="customer" as="customer" />;
  if (route === 'aki-review-app' && params[0]) return <ReviewPage key={params[0]} applicationId={params[0]} />;
  if (route === 'aki-templates') return <TemplateEditor key={params[0] ?? ''} categoryId={params[0]} />;
  return <ApplicationsList key="supplier" as="supplier" />;
}
