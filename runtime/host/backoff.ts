// Restart delays (spec §1.9, §4.5): exponential backoff with jitter.
//
// The n-th restart in a row (n = 1, 2, …) waits initial_delay × backoff_factor^(n−1), capped at max_delay, then
// scaled by a uniform factor in [1 − jitter, 1 + jitter]. The jitter applies after the cap, so a capped delay
// still spreads out (many services failing together do not restart in lockstep).

import type { RestartPolicy } from './lifecycle.js';

export function restartDelayMs(p: RestartPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(p.initialDelayMs * Math.pow(p.backoffFactor, Math.max(0, attempt - 1)), p.maxDelayMs);
  const spread = p.jitter === 0 ? 1 : 1 + p.jitter * (2 * random() - 1);
  return Math.max(0, base * spread);
}
