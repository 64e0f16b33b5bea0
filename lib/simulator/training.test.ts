import { describe, expect, it } from "vitest";
import { checkpointSteps, checkpointsAt, fineTunedModelName, statusAt, stepsDone, transitionsAt, type SimJob } from "./training";

const t0 = 1_700_000_000_000;
const job = (over: Partial<SimJob> = {}): SimJob => ({
  id: "0f1e2d3c-4b5a-4678-9abc-def012345678",
  model: "sim-small",
  suffix: null,
  autoStart: true,
  trainingFiles: ["f"],
  validationFiles: [],
  integrations: null,
  hyperparameters: {},
  trainingSteps: 5,
  stepMs: 100,
  dataTokens: 100,
  invalid: null,
  createdMs: t0,
  startMs: null,
  cancelMs: null,
  ...over,
});

describe("a simulated fine-tuning job's timeline", () => {
  it("walks QUEUED → VALIDATING → VALIDATED → RUNNING → SUCCESS, a step apart, then training steps", () => {
    const j = job();
    expect([0, 100, 200, 300, 799, 800, 10_000].map((dt) => statusAt(j, t0 + dt))).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "RUNNING", "SUCCESS", "SUCCESS"]);
    expect(transitionsAt(j, t0 + 10_000).map((t) => [t.status, t.at - t0])).toEqual([
      ["QUEUED", 0],
      ["VALIDATING", 100],
      ["VALIDATED", 200],
      ["RUNNING", 300],
      ["SUCCESS", 800],
    ]);
    expect(stepsDone(j, t0 + 550)).toBe(2);
  });

  it("waits at VALIDATED without auto_start, and runs from the moment it is started", () => {
    const j = job({ autoStart: false });
    expect(statusAt(j, t0 + 60_000)).toBe("VALIDATED");
    expect(checkpointsAt(j, t0 + 60_000)).toEqual([]);
    j.startMs = t0 + 60_000;
    expect(statusAt(j, t0 + 60_000)).toBe("RUNNING");
    expect(statusAt(j, t0 + 60_500)).toBe("SUCCESS");
  });

  it("freezes at a cancel request and is CANCELLED a step later", () => {
    const j = job({ cancelMs: t0 + 550 });
    expect(statusAt(j, t0 + 550)).toBe("CANCELLATION_REQUESTED");
    expect(statusAt(j, t0 + 650)).toBe("CANCELLED");
    expect(checkpointsAt(j, t0 + 10_000).map((c) => c.step)).toEqual([1, 2]);
    expect(transitionsAt(j, t0 + 10_000).map((t) => t.status)).toEqual(["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "CANCELLATION_REQUESTED", "CANCELLED"]);
  });

  it("fails validation for bad data and never runs", () => {
    const j = job({ invalid: "line 2: not valid JSON" });
    expect(transitionsAt(j, t0 + 10_000).map((t) => t.status)).toEqual(["QUEUED", "VALIDATING", "FAILED_VALIDATION"]);
    expect(transitionsAt(j, t0 + 10_000).at(-1)?.error).toBe("line 2: not valid JSON");
    expect(stepsDone(j, t0 + 10_000)).toBe(0);
  });

  it("checkpoints about five times a run and at the last step, with a falling loss and the same numbers every time", () => {
    expect(checkpointSteps(5)).toEqual([1, 2, 3, 4, 5]);
    expect(checkpointSteps(10)).toEqual([2, 4, 6, 8, 10]);
    expect(checkpointSteps(12)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(checkpointSteps(1)).toEqual([1]);
    const j = job({ trainingSteps: 100, validationFiles: ["v"] });
    const points = checkpointsAt(j, t0 + 60_000);
    expect(points.map((c) => c.step)).toEqual([20, 40, 60, 80, 100]);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.trainLoss).toBeLessThan(points[i - 1]!.trainLoss);
      expect(points[i]!.validAccuracy!).toBeGreaterThan(points[i - 1]!.validAccuracy!);
    }
    expect(points[0]!.trainLoss).toBeGreaterThan(1.5);
    expect(points.at(-1)!.trainLoss).toBeLessThan(0.4);
    expect(checkpointsAt(j, t0 + 60_000)).toEqual(points);
    // Without validation data, only the training loss is known.
    expect(checkpointsAt(job(), t0 + 60_000)[0]).toMatchObject({ validLoss: null, validAccuracy: null });
  });

  it("names the model ft:<base>:<suffix or sim>:<short job id>", () => {
    expect(fineTunedModelName(job())).toBe("ft:sim-small:sim:0f1e2d3c");
    expect(fineTunedModelName(job({ suffix: "support" }))).toBe("ft:sim-small:support:0f1e2d3c");
  });
});
