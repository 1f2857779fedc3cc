/** English strings of lab files: open, save, autosave, export; files/zh-CN.ts mirrors every key. */
export default {
  untitled: 'Untitled lab',
};
