import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import type { TipContent } from './tip-words';

export type Reaction = 'done' | 'snooze' | 'dismiss';

/** A tip on the screen: the decision it came from, and the reaction it already has, if any. */
export interface ShownTip {
  decisionId: string;
  tip: TipContent;
  policy?: string;
  reaction: Reaction | null;
}

const EMPTY_RECHECK_MS = 3_000;

const tipKey = (decisionId: string | null) => ['tip', decisionId ?? 'next'] as const;

// Each POST /v1/tips is a decision the recommender logs and learns from, so the next tip is asked
// for only when the person has reacted (or asks again), never on a focus change or a remount.
async function nextTip(): Promise<ShownTip | null> {
  const served = await unwrap(api.POST('/v1/tips'));
  if (!served) return null; // 204: nothing to suggest
  return { decisionId: served.decisionId, tip: served.tip, policy: served.policy, reaction: null };
}

async function tipOfDecision(decisionId: string): Promise<ShownTip> {
  const served = await unwrap(api.GET('/v1/tips/{id}', { params: { path: { id: decisionId } } }));
  return { decisionId: served.decisionId, tip: served.tip, reaction: served.reaction };
}

/**
 * The tip to show: the one a notification named (`decisionId`), else the next one. Reacting sends
 * the feedback and then brings the next tip, without a page load.
 */
export function useCurrentTip(decisionId: string | null) {
  const queries = useQueryClient();
  const tip = useQuery({
    queryKey: tipKey(decisionId),
    queryFn: () => (decisionId ? tipOfDecision(decisionId) : nextTip()),
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
    // With nothing to suggest no decision is logged, so looking again costs nothing: a task just
    // added (it reaches the recommender within a second or so) then appears by itself.
    refetchInterval: (query) => (query.state.data === null ? EMPTY_RECHECK_MS : false),
  });
  const react = useMutation({
    mutationFn: ({ shown, reaction }: { shown: ShownTip; reaction: Reaction }) =>
      unwrap(api.POST('/v1/tips/{id}/feedback', { params: { path: { id: shown.decisionId } }, body: { reaction } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['history'] });
      await queries.resetQueries({ queryKey: tipKey(null) });
    },
  });
  return { tip, react, lookAgain: () => queries.resetQueries({ queryKey: tipKey(null) }) };
}
