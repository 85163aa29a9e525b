// The end-to-end scenarios: real people (browser contexts) on the real server. Each scenario
// creates its own users and board, so they do not depend on each other.

import {
  addCard,
  assert,
  boardSnapshot,
  card,
  cardsIn,
  column,
  controlSocket,
  dragTo,
  eventually,
  openBoard,
  waitLive,
} from './helpers.mjs';

async function createBoard(page, name) {
  await page.getByLabel('Board name').fill(name);
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.getByTestId('kanban').waitFor({ timeout: 15_000 });
  await column(page, 'Done').waitFor({ timeout: 10_000 });
  await waitLive(page);
}

async function invite(page, handle, role) {
  await page.getByRole('button', { name: /^Members/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Members' });
  await dialog.getByLabel('Handle to invite').fill(handle);
  await dialog.getByLabel('Role for the new member').selectOption(role);
  await dialog.getByRole('button', { name: 'Invite' }).click();
  await dialog.locator('[data-testid=member]', { hasText: `@${handle}` }).waitFor({ timeout: 10_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
}

async function sameBoard(a, b, message) {
  let last = null;
  try {
    return await eventually(
      async () => {
        last = [await boardSnapshot(a), await boardSnapshot(b)];
        return JSON.stringify(last[0]) === JSON.stringify(last[1]) && last[0].length > 0 ? last[0] : false;
      },
      message,
      15_000,
    );
  } catch (error) {
    const differing = last ? last[0].map((col, i) => [col, last[1][i]]).filter(([x, y]) => JSON.stringify(x) !== JSON.stringify(y)) : [];
    throw new Error(`${error.message}; differing columns (first page vs second): ${JSON.stringify(differing)}`);
  }
}

/** Today in the local time zone, as the browser's date input and calendar see it. */
const today = (() => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
})();

const has = (list, text) => (list ?? []).some((c) => c.includes(text));

export const scenarios = [
  {
    name: 'two people on one board see every change live',
    async run({ person, shot }) {
      const alice = await person('alice');
      const bob = await person('bob');

      await createBoard(alice.page, 'Launch');
      await invite(alice.page, 'bob', 'EDITOR');
      await openBoard(bob.page, 'Launch');
      await shot(alice.page, 'live-01-alice-empty-board');

      // Alice creates a card; Bob sees it without reloading.
      await addCard(alice.page, 'To do', 'Write the README');
      await eventually(async () => has(await cardsIn(bob.page, 'To do'), 'Write the README'), 'Bob sees the new card in To do');
      await shot(bob.page, 'live-02-bob-sees-new-card');

      // Alice edits it: title and priority.
      await card(alice.page, 'Write the README').click();
      const panel = alice.page.getByTestId('task-panel');
      await panel.getByLabel('Title').fill('Write the README file');
      await panel.getByLabel('Title').press('Enter');
      await panel.getByLabel('Priority').selectOption('HIGH');
      await panel.getByLabel('Due date').fill(today);
      await eventually(async () => {
        const todo = await cardsIn(bob.page, 'To do');
        return has(todo, 'Write the README file') && has(todo, 'High') && (await card(bob.page, 'Write the README file').locator('.due').count()) === 1;
      }, "Bob sees the card's new title, priority and due date");
      await shot(alice.page, 'live-03-alice-edits-card');
      await shot(bob.page, 'live-03-bob-sees-edit');
      await panel.getByRole('button', { name: 'Close task' }).click();

      // Alice drags it to In progress; it moves on Bob's screen.
      await dragTo(alice.page, card(alice.page, 'Write the README file'), column(alice.page, 'In progress').getByTestId('column-body'));
      await eventually(async () => has(await cardsIn(alice.page, 'In progress'), 'Write the README file'), 'the card lands in In progress for Alice');
      await eventually(async () => {
        const snap = await boardSnapshot(bob.page);
        const get = (n) => snap.find((c) => c.column === n)?.cards ?? [];
        return has(get('In progress'), 'Write the README file') && !has(get('To do'), 'Write the README file');
      }, 'Bob sees the card move to In progress');
      await shot(bob.page, 'live-04-bob-sees-drag');

      // Bob opens the card; Alice comments; the comment appears in Bob's open panel and on the card.
      await card(bob.page, 'Write the README file').click();
      const bobPanel = bob.page.getByTestId('task-panel');
      await bobPanel.getByText('No comments yet.').waitFor();
      await card(alice.page, 'Write the README file').click();
      await panel.getByLabel('New comment').fill('Shipped!');
      await panel.getByRole('button', { name: 'Comment' }).click();
      await bobPanel.getByTestId('comment-body').getByText('Shipped!').waitFor({ timeout: 10_000 });
      await eventually(
        async () => (await card(bob.page, 'Write the README file').getByTestId('comment-count').textContent({ timeout: 500 }))?.trim() === '1',
        'Bob sees the comment count on the card',
      );
      await shot(bob.page, 'live-05-bob-sees-comment');
      await panel.getByRole('button', { name: 'Close task' }).click();
      await bobPanel.getByRole('button', { name: 'Close task' }).click();

      // A second card, moved with the keyboard only (Space, arrow, Space).
      await addCard(alice.page, 'To do', 'Plan the launch');
      const plan = card(alice.page, 'Plan the launch');
      await plan.focus();
      await alice.page.keyboard.press('Space');
      await alice.page.waitForTimeout(200);
      await alice.page.keyboard.press('ArrowRight');
      await alice.page.waitForTimeout(200);
      await alice.page.keyboard.press('Space');
      await eventually(async () => has(await cardsIn(bob.page, 'In progress'), 'Plan the launch'), 'Bob sees the card Alice moved with the keyboard');

      const final = await sameBoard(alice.page, bob.page, 'Alice and Bob end up with the same board');
      assert(final.find((c) => c.column === 'In progress').cards.length === 2, 'In progress holds both cards');
      await shot(alice.page, 'live-06-alice-final');
      await shot(bob.page, 'live-06-bob-final');

      // The same board as a list, filtered by a search, and on the calendar.
      await alice.page.getByRole('button', { name: 'List', exact: true }).click();
      await eventually(async () => (await alice.page.getByTestId('list-row').count()) === 2, 'the list shows both tasks');
      await alice.page.getByLabel('Search tasks').fill('launch');
      await eventually(async () => {
        const rows = await alice.page.getByTestId('list-row').allInnerTexts();
        return rows.length === 1 && rows[0].includes('Plan the launch');
      }, 'searching "launch" leaves one task');
      await shot(alice.page, 'live-07-alice-list-search');
      await alice.page.getByRole('button', { name: 'Calendar', exact: true }).click();
      await alice.page.getByTestId('calendar-view').getByText('No due date (1)').waitFor();
      await alice.page.getByRole('button', { name: 'Clear' }).click();
      await alice.page.locator(`[role=gridcell][aria-label="${today}"]`).getByText('#1 Write the README file').waitFor();
      await shot(alice.page, 'live-08-alice-calendar');
    },
  },

  {
    name: 'a viewer sees changes live but no edit controls',
    async run({ person, shot }) {
      const owner = await person('olivia');
      const viewer = await person('victor');
      await createBoard(owner.page, 'Roadmap');
      await invite(owner.page, 'victor', 'VIEWER');
      await openBoard(viewer.page, 'Roadmap');

      assert((await viewer.page.getByTestId('my-role').innerText()).toLowerCase() === 'viewer', 'the viewer is told their role');
      assert((await viewer.page.getByRole('button', { name: '+ Add card' }).count()) === 0, 'a viewer has no Add card buttons');
      assert((await viewer.page.getByLabel('New column name').count()) === 0, 'a viewer cannot add columns');
      assert((await viewer.page.getByRole('button', { name: /^Column settings/ }).count()) === 0, 'a viewer has no column settings');
      assert((await viewer.page.getByRole('button', { name: /^Move column/ }).count()) === 0, 'a viewer has no column drag handles');

      await addCard(owner.page, 'To do', 'Draft Q3 goals');
      await eventually(async () => has(await cardsIn(viewer.page, 'To do'), 'Draft Q3 goals'), 'the viewer sees the new card');

      // Trying to drag does nothing, and the panel is read-only.
      await dragTo(viewer.page, card(viewer.page, 'Draft Q3 goals'), column(viewer.page, 'Done').getByTestId('column-body'));
      await viewer.page.waitForTimeout(500);
      assert(has(await cardsIn(viewer.page, 'To do'), 'Draft Q3 goals'), "a viewer's drag does not move the card");
      await card(viewer.page, 'Draft Q3 goals').click();
      const panel = viewer.page.getByTestId('task-panel');
      assert(await panel.getByLabel('Title').isDisabled(), 'the title is read-only for a viewer');
      assert((await panel.getByLabel('New comment').count()) === 0, 'a viewer cannot comment');
      await shot(viewer.page, 'viewer-01-read-only');

      // Promoted to editor: the controls appear live.
      await owner.page.getByRole('button', { name: /^Members/ }).click();
      await owner.page.getByLabel('Role of @victor').selectOption('EDITOR');
      await eventually(async () => (await viewer.page.getByTestId('my-role').innerText()).toLowerCase() === 'editor', 'the new role reaches the viewer live');
      await panel.getByRole('button', { name: 'Close task' }).click();
      await viewer.page.getByRole('button', { name: '+ Add card' }).first().waitFor({ timeout: 10_000 });
      await shot(viewer.page, 'viewer-02-promoted');
    },
  },

  {
    name: 'a move the server refuses (CONFLICT) goes back and says why',
    async run({ person, shot }) {
      const ann = await person('ann');
      const ben = await person('ben');
      const benSocket = await controlSocket(ben.page);
      await createBoard(ann.page, 'Conflicts');
      await invite(ann.page, 'ben', 'EDITOR');
      await addCard(ann.page, 'To do', 'Contested card');
      await openBoard(ben.page, 'Conflicts');
      await card(ben.page, 'Contested card').waitFor();
      // One change Ben sees live, so his page resumes with a cursor (and does not refetch) later.
      await addCard(ann.page, 'In progress', 'Warm-up');
      await card(ben.page, 'Warm-up').waitFor({ timeout: 10_000 });

      // Ben stops hearing about changes; Ann renames the card (a new version).
      benSocket.drop();
      await card(ann.page, 'Contested card').click();
      const panel = ann.page.getByTestId('task-panel');
      await panel.getByLabel('Title').fill('Contested card (renamed)');
      await panel.getByLabel('Title').press('Enter');
      await eventually(async () => has(await cardsIn(ann.page, 'To do'), 'Contested card (renamed)'), 'Ann renamed the card');
      await panel.getByRole('button', { name: 'Close task' }).click();

      // Ben, holding the old version, drags it to Done: refused, shown where it really is, with a reason.
      await dragTo(ben.page, card(ben.page, 'Contested card'), column(ben.page, 'Done').getByTestId('column-body'));
      await ben.page.locator('.toast-error', { hasText: 'someone else changed it first' }).waitFor({ timeout: 10_000 });
      await eventually(async () => {
        const snap = await boardSnapshot(ben.page);
        return (snap.find((c) => c.column === 'Done')?.cards.length ?? -1) === 0 && has(snap.find((c) => c.column === 'To do')?.cards, 'Contested card (renamed)');
      }, "Ben's card goes back to To do, with Ann's title");
      await shot(ben.page, 'conflict-01-refused-move');

      benSocket.restore();
      await waitLive(ben.page);
      await sameBoard(ann.page, ben.page, 'both see the same board after the conflict');
    },
  },

  {
    name: 'a dropped socket resumes after its cursor and misses nothing',
    async run({ person, shot }) {
      const cat = await person('cat');
      const dan = await person('dan');
      const danSocket = await controlSocket(dan.page);
      await createBoard(cat.page, 'Resume');
      await invite(cat.page, 'dan', 'EDITOR');
      await addCard(cat.page, 'To do', 'Before the drop');
      await openBoard(dan.page, 'Resume');
      await card(dan.page, 'Before the drop').waitFor();
      // One more change while Dan is connected, so his page holds a cursor.
      await addCard(cat.page, 'To do', 'Seen live');
      await card(dan.page, 'Seen live').waitFor({ timeout: 10_000 });

      danSocket.drop();
      await dan.page.locator('[data-testid=connection][data-status=reconnecting]').waitFor({ timeout: 10_000 });
      await shot(dan.page, 'resume-01-dan-reconnecting');
      const subscribesBefore = danSocket.subscribes.length;

      // Changes Dan does not hear about as they happen.
      await addCard(cat.page, 'To do', 'Made while Dan was away');
      await dragTo(cat.page, card(cat.page, 'Before the drop'), column(cat.page, 'Done').getByTestId('column-body'));
      await eventually(async () => has(await cardsIn(cat.page, 'Done'), 'Before the drop'), 'Cat moved a card to Done');
      await card(cat.page, 'Seen live').click();
      await cat.page.getByTestId('task-panel').getByLabel('New comment').fill('while you were out');
      await cat.page.getByTestId('task-panel').getByRole('button', { name: 'Comment' }).click();
      await cat.page.getByTestId('task-panel').getByTestId('comment-body').waitFor();
      await cat.page.getByTestId('task-panel').getByRole('button', { name: 'Close task' }).click();
      assert(!has(await cardsIn(dan.page, 'To do'), 'Made while Dan was away'), "Dan's socket really was down");

      danSocket.restore();
      await waitLive(dan.page, 30_000);
      const snap = await sameBoard(cat.page, dan.page, 'after reconnecting, Dan sees exactly what Cat sees');
      assert(has(snap.find((c) => c.column === 'Done').cards, 'Before the drop'), 'the move made during the drop arrived');
      const resumed = danSocket.subscribes.slice(subscribesBefore).filter((p) => /boardChanged/.test(p.query));
      assert(resumed.length > 0, 'Dan resubscribed');
      assert(resumed.every((p) => typeof p.variables?.after === 'string' && p.variables.after.length > 0), `every resubscription passes the last cursor as after (${JSON.stringify(resumed.map((p) => p.variables))})`);
      await shot(dan.page, 'resume-02-dan-caught-up');
      await shot(cat.page, 'resume-02-cat');
    },
  },

  {
    name: 'a phone-sized screen shows one column at a time and a full-screen task',
    async run({ person, shot }) {
      const pat = await person('pat', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await createBoard(pat.page, 'Pocket');
      await addCard(pat.page, 'To do', 'Check on the phone');
      const width = (await column(pat.page, 'To do').boundingBox()).width;
      assert(width > 300 && width <= 390, `a column takes most of the screen width (${width}px)`);
      await shot(pat.page, 'phone-01-board');
      await card(pat.page, 'Check on the phone').click();
      await pat.page.getByTestId('task-panel').getByLabel('Title').waitFor();
      const panel = (await pat.page.getByTestId('task-panel').boundingBox()).width;
      assert(panel >= 389, `the task panel takes the whole width (${panel}px)`);
      await shot(pat.page, 'phone-02-task');
    },
  },

  {
    name: 'after a server restart both screens reconnect and end identical',
    async run({ person, shot, server }) {
      const eve = await person('eve');
      const fay = await person('fay');
      await createBoard(eve.page, 'Restart');
      await invite(eve.page, 'fay', 'EDITOR');
      await addCard(eve.page, 'To do', 'Survives restarts');
      await openBoard(fay.page, 'Restart');
      await card(fay.page, 'Survives restarts').waitFor();

      await server.stop();
      await eve.page.locator('[data-testid=connection][data-status=reconnecting]').waitFor({ timeout: 15_000 });
      await fay.page.locator('[data-testid=connection][data-status=reconnecting]').waitFor({ timeout: 15_000 });
      await shot(fay.page, 'restart-01-fay-reconnecting');
      await server.start();
      await waitLive(eve.page, 40_000);
      await waitLive(fay.page, 40_000);

      await addCard(eve.page, 'In progress', 'Made after the restart');
      await dragTo(eve.page, card(eve.page, 'Survives restarts'), column(eve.page, 'Done').getByTestId('column-body'));
      await eventually(async () => has(await cardsIn(fay.page, 'Done'), 'Survives restarts'), 'Fay sees changes made after the restart');
      const snap = await sameBoard(eve.page, fay.page, 'after the restart both screens are identical');
      assert(has(snap.find((c) => c.column === 'In progress').cards, 'Made after the restart'), 'the new card is on both screens');
      await shot(eve.page, 'restart-02-eve');
      await shot(fay.page, 'restart-02-fay');
    },
  },
];
