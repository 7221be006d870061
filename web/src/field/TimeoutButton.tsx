import type { Operation } from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

interface Props {
  token: string;
  exercise: Operation;
  onOperation: (op: Operation) => void;
}

/** Anyone may stop play at once for safety: no confirmation, it pauses the exercise for everyone. */
export function TimeoutButton({ token, exercise, onOperation }: Props) {
  const { busy, error, run } = useAction();
  const pause = async () => {
    const op = await run(() =>
      api<Operation>(`/api/operations/${exercise.id}/actions`, {
        method: 'POST',
        token,
        body: { action: 'pause' },
      }),
    );
    if (op) onOperation(op);
  };
  return (
    <>
      <button
        type="button"
        className="field-timeout"
        data-testid="timeout-button"
        disabled={busy}
        onClick={() => void pause()}
      >
        SAFETY TIME-OUT
      </button>
      {error && <p className="error">{error}</p>}
    </>
  );
}
