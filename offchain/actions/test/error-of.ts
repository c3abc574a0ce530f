// Test helper: the ActionError a call throws (and a failure when it throws nothing, or something else).
import { ActionError } from "../errors.ts";

export function errorOf(run: () => unknown): ActionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error("expected an ActionError");
}
