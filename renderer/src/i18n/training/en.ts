/** English strings of the training panel (section 5.1.4); training/zh-CN.ts mirrors every key. */
export default {
  title: 'Learn a kernel (5.1.4)',
};
