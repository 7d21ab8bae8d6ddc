import { employeeMutations } from '../accounts/employee-mutations';
import { competitionMutations } from '../competition/mutations';
import { akiMutations } from '../aki/mutations';
import { notificationMutations } from '../notifications/model';
import type { MutationDef } from './mutation-def';

/**
 * Every synced mutation, by name. Features add their map here (the
 * competition and AKI issues follow the employees example).
 */
export const mutationRegistry: Record<string, MutationDef<unknown, unknown>> = {
  ...(employeeMutations as unknown as Record<string, MutationDef<unknown, unknown>>),
  ...(competitionMutations as unknown as Record<string, MutationDef<unknown, unknown>>),
  ...(akiMutations as unknown as Record<string, MutationDef<unknown, unknown>>),
  ...(notificationMutations as unknown as Record<string, MutationDef<unknown, unknown>>),
};

export const isKnownMutation = (name: string): boolean => Object.prototype.hasOwnProperty.call(mutationRegistry, name);
