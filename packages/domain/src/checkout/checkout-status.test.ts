import { describe, expect, it } from "vitest";
import { checkoutOutcome } from "./checkout-status.ts";

const now = new Date("2026-12-04T12:00:00Z");
const checkout = { taskIds: ["t1"], createdAt: new Date(now.getTime() - 1_000), problem: null };
const refused = {
  id: "t1",
  kind: "setParameterValues",
  state: "fault" as const,
  faultCode: 9003,
  faultString: "Invalid arguments",
  finishedAt: new Date(now.getTime() - 100),
};

describe("checkoutOutcome", () => {
  it("stays pending while the refused values' retry is only claimed, not yet queued", () => {
    const outcome = checkoutOutcome(checkout, [{ ...refused, result: { retriedBy: "claimed" } }], now);
    expect(outcome.state).toBe("pending");
  });

  it("stays pending while a partly refused SetParameterValues has not been retried yet", () => {
    expect(checkoutOutcome(checkout, [{ ...refused, result: null }], now).state).toBe("pending");
  });

  it("fails once the retry was handled and the task is still the checkout's", () => {
    const outcome = checkoutOutcome(checkout, [{ ...refused, result: { retriedBy: null } }], now);
    expect(outcome).toMatchObject({
      state: "failed",
      problem: "the setParameterValues task ended: fault 9003 Invalid arguments",
    });
  });
});
