import { type WebhookInboxRepository } from '../webhook-inbox.repository';

export interface ReplayResult {
  /** The events marked for processing again. */
  replayed: string[];
  /** Ids asked for that are not stored. */
  missing: string[];
}

/**
 * What `npm run webhooks:replay` does, through the inbox's repository: `--failed` replays every
 * event whose processing failed; otherwise each `evt_…` id given is replayed (see
 * WebhookInboxRepository.replay and replayFailed).
 */
export async function replayEvents(inbox: WebhookInboxRepository, args: string[]): Promise<ReplayResult> {
  const ids = args.filter((a) => !a.startsWith('--'));
  const replayed = args.includes('--failed') ? await inbox.replayFailed() : await inbox.replay(ids);
  return { replayed, missing: ids.filter((id) => !replayed.includes(id)) };
}
