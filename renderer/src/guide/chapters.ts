/** The guide's chapters, one per section of the book's chapter 5, in its order. */
import { SCENES } from './chapter-5-1';
import { CHAPTER_5_2 } from './chapter-5-2';
import { CHAPTER_5_3 } from './chapter-5-3';
import { CHAPTER_5_4 } from './chapter-5-4';
import { NETWORK_CHAPTERS, type NetworkChapter } from './networks';
import type { GuideScene } from './scene';

export type Chapter = { section: string; scenes: readonly GuideScene[] } | { section: string; network: NetworkChapter };

export const CHAPTERS: readonly Chapter[] = [
  { section: '5.1', scenes: SCENES },
  { section: '5.2', scenes: CHAPTER_5_2 },
  { section: '5.3', scenes: CHAPTER_5_3 },
  { section: '5.4', scenes: CHAPTER_5_4 },
  ...NETWORK_CHAPTERS.map((network) => ({ section: network.section, network })),
];

/** i18n key of a section's name: `guideChapters.sections.5_2`. */
export const sectionKey = (section: string): string => `guideChapters.sections.${section.replace('.', '_')}`;
/** i18n key of a section's opening paragraph: `guideChapters.intros.5_2`. */
export const introKey = (section: string): string => `guideChapters.intros.${section.replace('.', '_')}`;
