// The lab's count of clicks on Pay in this tab (browser only): the first
// column of the ledger's story, before anything reaches the server. The UI
// guard's whole work is the gap between this count and the requests.
const KEY = "payonce:pay-clicks";

export const payClicks = () => Number(sessionStorage.getItem(KEY) ?? 0);

export const clearPayClicks = () => sessionStorage.removeItem(KEY);

/**
 * Counts every press on the Pay button, a disabled one included (pointerdown
 * reaches it; click does not). It counts from hydration on: the page says so
 * (data-counting-pay-clicks on <html>), so a story clicks only once it counts.
 */
export function countPayClicks(): () => void {
  const onPress = (event: PointerEvent) => {
    if (event.target instanceof Element && event.target.closest("[data-testid=pay]")) sessionStorage.setItem(KEY, String(payClicks() + 1));
  };
  document.addEventListener("pointerdown", onPress, true);
  document.documentElement.dataset.countingPayClicks = "";
  return () => {
    document.removeEventListener("pointerdown", onPress, true);
    delete document.documentElement.dataset.countingPayClicks;
  };
}
