/**
 * The images each item had over time, as seen through the writes of one client: what an
 * eventually consistent read may return instead of the latest image. An item is named by
 * its table and key (see `itemId` in tables.ts). Kept in memory for the life of the layer
 * (test tables are small).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

interface Timeline {
  /** The image before the first recorded write: null = absent, undefined = unknown. */
  before?: Item | null;
  writes: Array<{ at: number; image: Item | null }>;
}

/** A lagged view: `image` null means the item did not exist yet (or was deleted) then. */
export interface Lagged {
  image: Item | null;
}

export class ItemHistory {
  private readonly items = new Map<string, Timeline>();

  /** True once any image of the item was recorded. */
  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Records the image the item had before this layer saw it written; ignored once the item has a timeline. */
  baseline(id: string, image: Item | null): void {
    if (!this.items.has(id)) this.items.set(id, { before: image, writes: [] });
  }

  /** Records the image a write left at time `at` (null for a delete). */
  record(id: string, at: number, image: Item | null): void {
    const timeline = this.items.get(id) ?? { writes: [] };
    timeline.writes.push({ at, image });
    this.items.set(id, timeline);
  }

  /**
   * The item as it was at time `at`, or undefined when nothing recorded happened after
   * `at` (then the real, current image is also the lagged one) or when it is not known.
   * @example history.at(id, clock() - 1000) // { image: null } when the item is younger than 1 s
   */
  at(id: string, at: number): Lagged | undefined {
    const timeline = this.items.get(id);
    if (!timeline || !timeline.writes.some((w) => w.at > at)) return undefined;
    const older = timeline.writes.filter((w) => w.at <= at);
    const last = older[older.length - 1];
    if (last) return { image: last.image };
    return timeline.before === undefined ? undefined : { image: timeline.before };
  }
}
