// What the scenarios do with a page, in a person's terms: sign in, open a board, find a card,
// drag it, read the board as it looks.

import path from 'node:path';

export class AssertionError extends Error {}

export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** Polls `check` until it returns a truthy value (which it returns), or fails with `message`. */
export async function eventually(check, message, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (${last.message})` : last !== undefined ? ` (last: ${JSON.stringify(last)})` : '';
      throw new AssertionError(`${message}${detail}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function signIn(page, base, handle) {
  await page.goto(`${base}/`);
  await page.getByLabel('Your handle').fill(handle);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('me').waitFor({ timeout: 15_000 });
}

export async function openBoard(page, name) {
  // The list was loaded at sign-in, before the invitation: look again, as a person would.
  await page.goto(page.url().split('#')[0] + '#/');
  await page.reload();
  const link = page.locator('.board-link', { hasText: name });
  await link.first().waitFor({ timeout: 10_000 });
  await link.first().click();
  await page.getByTestId('kanban').waitFor({ timeout: 15_000 });
  await waitLive(page);
}

/** Waits until the connection indicator says the page receives live changes. */
export async function waitLive(page, timeoutMs = 20_000) {
  await page.locator('[data-testid=connection][data-status=connected]').waitFor({ timeout: timeoutMs });
}

export function column(page, name) {
  return page.locator(`[data-testid=column][data-column-name="${name}"]`);
}

export function card(page, title) {
  return page.locator('[data-testid=column] [data-testid=task-card]:not([data-pending])', { has: page.getByTestId('task-title').getByText(title, { exact: true }) });
}

/** Column name → the cards in it as a person reads them, top to bottom. */
export async function boardSnapshot(page) {
  return page.$$eval('[data-testid=column]', (columns) =>
    columns.map((c) => ({
      column: c.getAttribute('data-column-name'),
      count: c.querySelector('.count')?.textContent?.trim(),
      cards: [...c.querySelectorAll('[data-testid=task-card]')]
        .filter((el) => !el.classList.contains('card-placeholder'))
        .map((el) => el.innerText.replace(/\s+/g, ' ').trim()),
    })),
  );
}

export async function cardsIn(page, columnName) {
  const snapshot = await boardSnapshot(page);
  return snapshot.find((c) => c.column === columnName)?.cards ?? null;
}

/** Drags with the mouse in small steps, as a person would (dnd-kit needs real pointer moves). */
export async function dragTo(page, source, target, { offsetY = 24 } = {}) {
  await source.scrollIntoViewIfNeeded();
  const s = await source.boundingBox();
  const t = await target.boundingBox();
  assert(s && t, 'drag source or target is not visible');
  const sx = s.x + s.width / 2;
  const sy = s.y + s.height / 2;
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  await page.mouse.move(sx + 12, sy + 12, { steps: 4 });
  await page.mouse.move(t.x + t.width / 2, t.y + Math.min(offsetY, t.height / 2), { steps: 20 });
  await page.waitForTimeout(200);
  await page.mouse.move(t.x + t.width / 2 + 2, t.y + Math.min(offsetY, t.height / 2) + 2, { steps: 2 });
  await page.mouse.up();
  // dnd-kit swallows clicks for 50 ms after a drop (so the drop is not also a click); so does a person.
  await page.waitForTimeout(120);
}

export async function addCard(page, columnName, title) {
  const col = column(page, columnName);
  const addButton = col.getByRole('button', { name: '+ Add card' });
  if (await addButton.isVisible()) await addButton.click();
  await col.getByLabel('New card title').fill(title);
  await col.getByLabel('New card title').press('Enter');
  await card(page, title).waitFor({ timeout: 10_000 });
}

export async function shot(page, dir, name) {
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

/**
 * Puts a page's GraphQL socket under the test's control: `drop()` closes it and refuses new ones
 * until `restore()`; `subscribes` records every subscribe message the page sent.
 */
export async function controlSocket(page) {
  const control = {
    blocked: false,
    open: new Set(),
    subscribes: [],
    drop() {
      control.blocked = true;
      for (const ws of control.open) ws.close({ code: 3001, reason: 'dropped by the test' }).catch(() => {});
      control.open.clear();
    },
    restore() {
      control.blocked = false;
    },
  };
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    if (control.blocked) {
      ws.close({ code: 3001, reason: 'offline (test)' }).catch(() => {});
      return;
    }
    const server = ws.connectToServer();
    control.open.add(ws);
    ws.onMessage((message) => {
      try {
        const parsed = JSON.parse(message);
        if (parsed.type === 'subscribe') control.subscribes.push(parsed.payload);
      } catch {
        // not JSON: pass it on as it is
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
    // Only 1000 and 3000-4999 may be sent in a close frame; the others become "going away".
    const sendable = (code) => (code === 1000 || (code >= 3000 && code <= 4999) ? code : 3002);
    ws.onClose((code, reason) => {
      control.open.delete(ws);
      server.close({ code: sendable(code), reason }).catch(() => {});
    });
    server.onClose((code, reason) => {
      control.open.delete(ws);
      ws.close({ code: sendable(code), reason }).catch(() => {});
    });
  });
  return control;
}
