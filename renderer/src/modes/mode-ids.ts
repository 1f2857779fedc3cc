/**
 * The workspace modes' ids, in the order the switcher shows them. Apart from modes.ts (which pairs each with its
 * view) so stores and the guide can name a mode without importing every mode's components.
 */
export const MODE_IDS = ['lab', 'training', 'network', 'dataset', 'train-nets'] as const;

export type ModeId = (typeof MODE_IDS)[number];
