/** What the change feed carries for AKI (the app's local view holds the same shapes). */
import type { Answers } from './answers';
import type { AkiStatus, AkiDecision } from './status';
import type { AkiTemplate } from './template';

export const AKI_APPLICATION = 'aki_application';
/**
 * The same application as its category's customer reads it (scope
 * `aki-category:<id>`, only once submitted). A separate entity type because a
 * feed entity lives in one scope at a time.
 */
export const AKI_REVIEW = 'aki_review';
export const AKI_CATEGORY = 'aki_category';
export const AKI_TEMPLATE = 'aki_template';

export interface Names { kk: string; ru: string; en: string }

/** Scope of everything a category's customer reads: applications for it. */
export const akiCategoryScope = (categoryId: string): string => `aki-category:${categoryId}`;

/** Public reference: a category with its group, owner and current template version. */
export interface AkiCategoryRecord {
  categoryId: string;
  groupId: string;
  groupCode: string;
  groupName: Names;
  code: string;
  name: Names;
  /** The customer organization that sets the requirements and decides. */
  customerOrgId: string | null;
  templateVersion: number;
}

/** One version of a category's template; id `<categoryId>:<version>`. */
export interface AkiTemplateRecord {
  categoryId: string;
  templateVersion: number;
  template: AkiTemplate;
}
export const templateEntityId = (categoryId: string, version: number): string => `${categoryId}:${version}`;

export interface AkiApplicationRecord {
  applicationId: string;
  /** The ID people read; given by the portal (null until it has seen the application). */
  number: string | null;
  supplierOrgId: string;
  supplierOrgName: Names | null;
  categoryId: string;
  /** The template version the application is pinned to. */
  templateVersion: number;
  status: AkiStatus;
  email: string;
  phone: string;
  comment: string;
  answers: Answers;
  /** Set while (and after) the customer returned it: the reason and the requirement keys to revise. */
  revision: { reason: string; keys: string[]; at: string } | null;
  /** The final decision, with the customer's reason. */
  decision: { decision: AkiDecision; reason: string; at: string } | null;
  createdAt: string;
  createdBy: string;
  submittedAt: string | null;
}
