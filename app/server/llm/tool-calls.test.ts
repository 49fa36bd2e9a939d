import { describe, expect, it } from "vitest";
import { mergeToolCalls } from "./tool-calls";

describe("mergeToolCalls", () => {
  it("puts streamed pieces back together by index, appending the arguments", () => {
    let calls = mergeToolCalls(
      [],
      [{ index: 0, id: "call_a", type: "function", function: { name: "weather", arguments: "" } }],
    );
    calls = mergeToolCalls(calls, [{ index: 0, function: { arguments: '{"city":' } }]);
    calls = mergeToolCalls(calls, [
      { index: 0, function: { arguments: '"Paris"}' } },
      { index: 1, id: "call_b", type: "function", function: { name: "time", arguments: "{}" } },
    ]);
    expect(calls).toEqual([
      { id: "call_a", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
      { id: "call_b", type: "function", function: { name: "time", arguments: "{}" } },
    ]);
  });

  it("ignores pieces with an index that cannot be a call's", () => {
    expect(
      mergeToolCalls(
        [],
        [
          { index: -1, id: "x" },
          { index: 1.5, id: "y" },
          { index: 9999, id: "z" },
        ],
      ),
    ).toEqual([]);
  });
});
