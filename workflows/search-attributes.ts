// Custom search attributes: what makes an inbox or an applicant's list one visibility query.
// Registered on the server by scripts/temporal.ts from this list.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const GovProcessKey = defineSearchAttributeKey('GovProcessKey', SearchAttributeType.KEYWORD);
export const GovStatus = defineSearchAttributeKey('GovStatus', SearchAttributeType.KEYWORD);
export const GovApplicant = defineSearchAttributeKey('GovApplicant', SearchAttributeType.KEYWORD);
/** Candidate groups of the application's open human tasks. */
export const GovTaskGroups = defineSearchAttributeKey('GovTaskGroups', SearchAttributeType.KEYWORD_LIST);

/** BPMN signal names the application waits for right now; a signal broadcast is one query on it. */
export const GovAwaitingSignals = defineSearchAttributeKey(
  'GovAwaitingSignals',
  SearchAttributeType.KEYWORD_LIST,
);

/**
 * People of the application's human tasks, tagged by how (taskUserTag): `assignee:<sub>` holds an
 * open task, `completed:<sub>` completed one. One list for both, as a SQL-visibility server offers
 * only three KeywordList attributes.
 */
export const GovTaskUsers = defineSearchAttributeKey('GovTaskUsers', SearchAttributeType.KEYWORD_LIST);

export const taskUserTag = (how: 'assignee' | 'completed', sub: string): string => `${how}:${sub}`;

export const SEARCH_ATTRIBUTES = [
  GovProcessKey,
  GovStatus,
  GovApplicant,
  GovTaskGroups,
  GovAwaitingSignals,
  GovTaskUsers,
];
