/**
 * The specs' vocabulary: what a person does and reads in ConvLab, through ARIA roles and names only, so a spec reads
 * like the book and runs unchanged on both hosts.
 */
import { expect, type Page } from '@playwright/test';

/** The numbers of a grid ("Input", "Layer 1 output", "Layer 1 kernel"), row by row, from its cells' names. */
export async function readMap(page: Page, name: string): Promise<number[][]> {
  const grid = page.getByRole('grid', { name, exact: true });
  await expect(grid).toBeVisible();
  return grid.getByRole('row').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('[role="gridcell"]'), (cell) => Number(cell.getAttribute('aria-label')))),
  );
}

/** Waits until a grid shows exactly these numbers (maps update asynchronously). */
export async function expectMap(page: Page, name: string, rows: number[][], tolerance = 1e-5): Promise<void> {
  await expect
    .poll(async () => {
      const got = await readMap(page, name);
      const same =
        got.length === rows.length &&
        got.every((row, y) => row.length === rows[y].length && row.every((v, x) => Math.abs(v - rows[y][x]) <= tolerance * Math.max(1, Math.abs(rows[y][x]))));
      return same ? 'equal' : JSON.stringify(got);
    })
    .toBe('equal');
}

/** Types numbers into a grid's cells, as a person would: focus a cell, type, Enter. */
export async function typeGrid(page: Page, name: string, rows: number[][]): Promise<void> {
  const grid = page.getByRole('grid', { name, exact: true });
  for (let y = 0; y < rows.length; y++) {
    for (let x = 0; x < rows[y].length; x++) {
      const cell = grid.getByRole('row').nth(y).getByRole('gridcell').nth(x);
      await cell.focus();
      await cell.press('Enter');
      const editor = page.getByRole('textbox', { name: new RegExp(`row ${y + 1}, column ${x + 1}$|第 ${y + 1} 行第 ${x + 1} 列`) });
      await editor.fill(String(rows[y][x]));
      await editor.press('Enter');
    }
  }
}

/** The centre of cell (y, x) of a grid, in page coordinates. */
export async function cellCentre(page: Page, name: string, y: number, x: number): Promise<{ x: number; y: number }> {
  const box = await page.getByRole('grid', { name, exact: true }).boundingBox();
  if (!box) throw new Error(`grid "${name}" is not on screen`);
  const [rows, cols] = await page
    .getByRole('grid', { name, exact: true })
    .evaluate((grid) => [Number(grid.getAttribute('aria-rowcount')), Number(grid.getAttribute('aria-colcount'))]);
  return { x: box.x + ((x + 0.5) * box.width) / cols, y: box.y + ((y + 0.5) * box.height) / rows };
}

/** Drags the mouse across a grid from one cell to another, in steps, as a hand would. */
export async function drawStroke(page: Page, name: string, from: [number, number], to: [number, number]): Promise<void> {
  const start = await cellCentre(page, name, from[0], from[1]);
  const end = await cellCentre(page, name, to[0], to[1]);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

export async function hoverUnit(page: Page, name: string, y: number, x: number): Promise<void> {
  const at = await cellCentre(page, name, y, x);
  await page.mouse.move(at.x, at.y);
}

/** Loads one of the guide's scenes by its title. */
export async function loadScene(page: Page, title: RegExp): Promise<void> {
  await openGuide(page);
  await page.getByRole('article', { name: title }).getByRole('button').first().click();
}

/** Switches the workspace to a mode by its name in the switcher ("Lab", "Training"). */
export async function openMode(page: Page, name: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Workspace mode' }).getByRole('tab', { name, exact: true }).click();
}

/** Opens the chapter guide if it was collapsed. */
export async function openGuide(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Chapter 5.1', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(page.getByRole('complementary', { name: 'Chapter 5.1' })).toBeVisible();
}

/** Adds a layer from the "Add layer" toolbar ("Convolution", "ReLU", …); the new layer is selected in the inspector. */
export async function addLayer(page: Page, kind: string): Promise<void> {
  await page.getByRole('toolbar', { name: 'Add layer' }).getByRole('button', { name: `+ ${kind}`, exact: true }).click();
}

/** Sets the output channels of the convolution shown in the inspector. */
export async function setOutputChannels(page: Page, channels: number): Promise<void> {
  const field = page.getByRole('spinbutton', { name: 'Output channels' });
  await field.fill(String(channels));
  await field.press('Enter');
}

/** Builds a stack of convolutions after the default first one, with these output channels ([4, 8, 8]: 1→4→8→8). */
export async function buildConvStack(page: Page, channels: number[]): Promise<void> {
  for (const count of channels) {
    await addLayer(page, 'Convolution');
    await setOutputChannels(page, count);
  }
}
