// Each hammer against a form with no protection (form-server.ts): the
// server must get exactly the posts the story sends, and each story must
// look to the page as it would to a person (answers held, lost, or gone).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Browser, Page } from "@playwright/test";
import {
  backAndSubmitAgain,
  beforeAnyAnswer,
  clickRepeatedly,
  clickTwice,
  expectDuplicate,
  expectExactlyOnce,
  hydrated,
  loseNextAnswer,
  openBeforeHydration,
  pressEnterRepeatedly,
  reloadMidSubmit,
  submitFromTwoTabs,
} from "../src/index.ts";
import { launch } from "./browser.ts";
import { formServer } from "./form-server.ts";

const quick = { timeoutMs: 10_000, stableMs: 500 };

describe("the hammers", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof formServer>>;
  let page: Page;
  before(async () => {
    [browser, server] = await Promise.all([launch(), formServer()]);
  });
  after(async () => {
    await browser.close();
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
  });
  const posts = () => server.posts();
  const send = (tab: Page) => clickRepeatedly(tab.getByRole("button", { name: "Send" }), { times: 1 });

  it("beforeAnyAnswer + clickTwice: both clicks' posts reach the server before any answer", async () => {
    await page.goto("/");
    await beforeAnyAnswer(page, () => clickTwice(page.getByRole("button", { name: "Send" })));
    assert.equal(await expectDuplicate(posts, quick), 2);
    await page.context().close();
  });

  it("clickRepeatedly: three clicks at the given gaps", async () => {
    await page.goto("/");
    await beforeAnyAnswer(page, () => clickRepeatedly(page.getByRole("button", { name: "Send" }), { times: 3, gapMs: [50, 150] }));
    assert.equal(await expectDuplicate(posts, quick), 3);
    await page.context().close();
  });

  it("pressEnterRepeatedly: Enter twice in a field sends the form twice", async () => {
    await page.goto("/");
    await beforeAnyAnswer(page, () => pressEnterRepeatedly(page.locator("input[name=email]")));
    assert.equal(await expectDuplicate(posts, quick), 2);
    await page.context().close();
  });

  it("openBeforeHydration holds the scripts until released; hydrated waits for the fiber", async () => {
    const release = await openBeforeHydration(page, "/hydrate");
    assert.equal(await page.evaluate(() => document.body.dataset.ready ?? null), null);
    await assert.rejects(hydrated(page.locator("#send"), { timeoutMs: 300 }), /was not hydrated by React within 300 ms/);
    release();
    await hydrated(page.locator("#send"));
    assert.equal(await page.evaluate(() => document.body.dataset.ready), "yes");
    await page.context().close();
  });

  it("loseNextAnswer: the post is done on the server, the page never gets its answer; the next post is answered", async () => {
    await page.goto("/");
    const { reached } = await loseNextAnswer(page, { url: "**/submit" });
    await send(page);
    assert.equal(await reached, 303);
    assert.equal(posts(), 1);
    // The page's post failed (its connection reset): it never came to /done.
    await assert.rejects(page.waitForURL("**/done", { timeout: 10_000 }), /ERR_CONNECTION_RESET/);
    while (!page.url().startsWith("chrome-error:")) await page.waitForTimeout(50); // the browser's error page, then the person tries again
    await page.goto("/");
    await send(page);
    await page.waitForURL("**/done");
    assert.equal(await expectDuplicate(posts, quick), 2);
    await page.context().close();
  });

  it("reloadMidSubmit: the post reaches the server, the page is reloaded before its answer", async () => {
    await page.goto("/");
    assert.equal(await reloadMidSubmit(page, () => send(page)), 303);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.equal(await expectExactlyOnce(posts, quick), 1);
    await page.context().close();
  });

  it("submitFromTwoTabs: one form, two tabs of one browser, both sent before either is answered", async () => {
    const second = await submitFromTwoTabs(page, { url: "/", fill: (tab) => tab.locator("input[name=email]").fill("b@example.com"), submit: send });
    assert.equal(await expectDuplicate(posts, quick), 2);
    assert.notEqual(second, page);
    await second.close();
    await page.context().close();
  });

  it("backAndSubmitAgain: sent, answered with another page, Back, sent again", async () => {
    await page.goto("/");
    await backAndSubmitAgain(page, send);
    await page.waitForURL("**/done");
    assert.equal(await expectDuplicate(posts, quick), 2);
    await page.context().close();
  });
});
