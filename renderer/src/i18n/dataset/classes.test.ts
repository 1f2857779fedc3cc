import { expect, test } from 'vitest';
import en from './en';
import zhCN from './zh-CN';

test("Fashion-MNIST's ten classes carry Zalando's names and the Chinese edition's, label by label", () => {
  expect(en.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  expect(zhCN.classes).toEqual(['T恤', '裤子', '套衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴']);
});
