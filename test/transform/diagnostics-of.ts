// The diagnostics of a stage that must refuse its input.
import assert from 'node:assert/strict';
import { DiagnosticsError, type Diagnostic } from '../../src/transform/diagnostics.js';

export function diagnosticsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DiagnosticsError, String(error));
    return [...error.diagnostics];
  }
  assert.fail('expected a DiagnosticsError');
}

/** The diagnostics of a generation (async) that must fail. */
export async function diagnosticsOfAsync(run: () => Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof DiagnosticsError, String(error));
    return [...error.diagnostics];
  }
  assert.fail('expected a DiagnosticsError');
}
